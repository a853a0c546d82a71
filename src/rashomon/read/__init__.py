"""rashomon.read"""
