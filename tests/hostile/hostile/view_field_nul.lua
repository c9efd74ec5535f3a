-- Hostile rule: a NUL in a field name of the region view.
-- expect: error: region view has no field
return {
  id = "hostile.view_field_nul",
  title = "hostile: view_field_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(r["code\0x"])
  end,
}
