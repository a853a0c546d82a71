"""rashomon.run"""
