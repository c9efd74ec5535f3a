-- Hostile rule: string dump.
-- expect: error: attempt to call a nil value (field 'dump')
return {
  id = "hostile.string_dump",
  title = "hostile: string_dump",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return string.dump(function() end)
  end,
}
