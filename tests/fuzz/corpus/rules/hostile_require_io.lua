-- Hostile rule: require io.
-- expect: error: module 'io' not found
return {
  id = "hostile.require_io",
  title = "hostile: require_io",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local io = require("io") return pass()
  end,
}
