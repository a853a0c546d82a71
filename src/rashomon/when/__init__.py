"""rashomon.when"""
