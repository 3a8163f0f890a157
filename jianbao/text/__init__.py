"""Pure Chinese-text logic: normalisation, segmentation, the bulletin parser, proofreading.

Nothing in this package may import Django.
"""
