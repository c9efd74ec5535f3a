return "health.string"
