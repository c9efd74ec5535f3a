local io3 = require "io"
