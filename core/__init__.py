"""What every app shares and no domain owns: the one domain error, plain database reads."""
