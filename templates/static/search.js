/* Placeholder: the search script is provided by the search work. */
