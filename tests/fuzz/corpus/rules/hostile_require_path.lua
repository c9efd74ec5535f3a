-- Hostile rule: require path.
-- expect: error: require: bad module name
return {
  id = "hostile.require_path",
  title = "hostile: require_path",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return require("../../../etc/passwd")
  end,
}
