-- 城乡保障性安居工程: there is no unified national funding standard, so
-- the department's indicator is coverage of the eligible population: the
-- share of eligible urban households in housing difficulty that are
-- covered (public rental housing or rent subsidy) must reach
-- params.min_coverage (0.95, the department's working target).
return {
  id = "housing.affordable_coverage",
  title = "住房困难家庭保障覆盖率（已保障户数÷保障对象户数）不低于目标"
    .. "（无统一标准，按覆盖率）",
  basis = "国办发〔2018〕6号 城乡保障性安居工程; 粤财办〔2019〕1号 二(一); "
    .. "无统一经费标准: 以保障对象覆盖率衡量, 目标 min_coverage 为住建厅工作目标",
  item = "housing.affordable",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { min_coverage = 0.95 },
  evaluate = function(r)
    local covered = r:fact("housing.affordable.covered")
    local eligible = r:fact("housing.affordable.eligible")
    if eligible <= 0 then
      return skip("无符合条件的住房困难家庭")
    end
    return at_least(covered / eligible, params.min_coverage, {
      unit = "比例",
      note = string.format("已保障 %.0f 户 ÷ 保障对象 %.0f 户",
                           covered, eligible),
    })
  end,
}
