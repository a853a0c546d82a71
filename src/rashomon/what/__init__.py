"""rashomon.what"""
