"""One module per subcommand, each a plain function that returns an exit code."""
