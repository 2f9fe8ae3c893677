"""File formats at the edge: one module per format with symmetric read_X / write_X functions."""
