"""rashomon.who"""
