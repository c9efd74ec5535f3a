-- 免费提供教科书: every compulsory-education pupil receives the textbooks of
-- the national curriculum free of charge. DOMAIN.md holds no funding
-- standard for the item, so the department's indicator is coverage of the
-- eligible population: pupils given free textbooks ÷ pupils enrolled
-- (primary + junior) must reach params.min_coverage (1.0: every pupil).
-- Counties deliver the item: the rule evaluates every city and every county
-- of the data (level = { "city", "county" }); a county is held to the same
-- standard as a city, so a county below it shows under a city that passes.
return {
  id = "education.textbooks_coverage",
  title = "免费教科书覆盖率（发放学生数÷义务教育在校生数）不低于目标"
    .. "（无统一经费标准，按覆盖率）",
  basis = "国办发〔2018〕6号 免费提供教科书; 粤财办〔2019〕1号 二(一); "
    .. "无统一经费标准: 以应享学生覆盖率衡量, 目标 min_coverage 为教育厅工作目标",
  item = "edu.textbooks",
  kind = "compliance",
  level = { "city", "county" },
  effective = { from = 2018 },
  params = { min_coverage = 1.0 },
  evaluate = function(r)
    local given = r:fact("edu.textbooks.pupils")
    local primary = r:fact("edu.pupils.primary")
    local junior = r:fact("edu.pupils.junior")
    local pupils = primary + junior
    if pupils <= 0 then
      return skip("无义务教育在校生")
    end
    return at_least(given / pupils, params.min_coverage, {
      unit = "比例",
      note = string.format("免费教科书发放 %.0f 人 ÷ 在校生（小学 %.0f + 初中 %.0f）%.0f 人",
                           given, primary, junior, pupils),
    })
  end,
}
