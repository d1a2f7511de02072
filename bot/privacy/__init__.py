"""Personal data: detect and replace it before text is stored or sent to an LLM."""
