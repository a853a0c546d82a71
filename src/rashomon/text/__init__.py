"""rashomon.text"""
