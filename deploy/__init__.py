"""What runs sfui past one process: nginx in front of N apps, and the launcher (deploy/cluster.py)."""
