"""Pairs without a monotone path: the ratio margin, comparable texts, and mining collections."""
