"""rashomon.agree"""
