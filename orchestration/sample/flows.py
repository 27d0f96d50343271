"""The two flows of DGDDI's files: the `Flux` field's letters and the words in the zips' names."""

FLUXES = ("E", "I")
FLOW_NAMES = {"E": "export", "I": "import"}
