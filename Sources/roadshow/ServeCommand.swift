// The `serve` subcommand; written by the lead once RoadshowServer exists.
