"""What is published beside the pages: downloads and the data package, feeds."""
