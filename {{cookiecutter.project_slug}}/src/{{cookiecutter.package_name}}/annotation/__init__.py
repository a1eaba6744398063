"""The labelling loop with Label Studio: push unlabelled messages, pull annotations, train."""
