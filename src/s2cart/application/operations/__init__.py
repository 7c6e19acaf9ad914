"""What an operator reads from the command line: lists across every customer, filtered."""
