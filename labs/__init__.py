"""The site's labs: every command a reader copies, defined once and run on a real engine.

Each lab lives in labs/<chapter>/<lab-name>/ as lab.yaml (the definition), files/ (what
the reader creates) and record.json (the real output of the last recorded run).
"""
