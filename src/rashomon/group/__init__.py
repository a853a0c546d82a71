"""rashomon.group"""
