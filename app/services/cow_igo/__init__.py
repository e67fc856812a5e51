"""Import of the Correlates of War IGO dataset v3.0 (`orgreg import cow-igo PATH`)."""
