-- Hostile rule: view write.
-- expect: error: the region view is read-only
return {
  id = "hostile.view_write",
  title = "hostile: view_write",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    r.code = "440100" return pass()
  end,
}
