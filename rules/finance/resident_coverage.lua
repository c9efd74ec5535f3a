-- 扩面共享 (粤财办〔2019〕1号 二(二)2): basic public services must reach the
-- resident (常住) population, migrants included, not only the registered
-- (户籍) one. The beneficiaries counted are the people insured in the basic
-- medical insurance (employee scheme + resident scheme), the one service
-- in the data meant for every resident. They are held against the
-- resident population (measured, target params.min_resident, the finance
-- department's working target) and, for comparison, against the
-- registered population: a city that covers its registered population but
-- not its residents is named as such in the note. A resident population of
-- 0 or less, or a negative or non-finite count, is a data gap: `missing`,
-- naming each such figure (never a skip that reads as "does not apply").
-- params.min_resident is a share in 0..1; any other value (95 typed for
-- 95%) makes the finding `error`, naming it (check.ratio).
local check = require "check"
local facts = require "facts"

return {
  id = "finance.resident_coverage",
  title = "扩面共享：基本医疗保险参保人数÷常住人口不低于目标，并与户籍人口口径对照",
  basis = "粤财办〔2019〕1号 二(二)2; 国办发〔2018〕6号 基本医疗保障; "
    .. "参保人数 = 职工医保 + 城乡居民医保; 目标 min_resident 为财政厅工作目标",
  item = "medical.resident_insurance",
  kind = "indicator",
  level = "city",
  effective = { from = 2018 },
  params = { min_resident = 0.95 },
  evaluate = function(r)
    check.ratio("min_resident", params.min_resident) -- a share: 0.30, not 30
    local employee = r:fact("medical.employee_insurance.insured")
    local resident_scheme = r:fact("medical.resident_insurance.insured")
    local resident = r:fact("pop.resident")
    local registered = r:fact("pop.registered")
    -- counts that cannot be right are `missing`, named, never a coverage
    local gaps = facts.gaps()
    for _, x in ipairs({
          { "medical.employee_insurance.insured", employee, "amount" },
          { "medical.resident_insurance.insured", resident_scheme, "amount" },
          { "pop.resident", resident, "count" },
          { "pop.registered", registered, "amount" } }) do
      local why = facts.why(x[2], x[3])
      if why then
        gaps:add(r, x[1], why)
      end
    end
    if gaps:any() then
      return gaps:missing("数据不可用")
    end
    local insured = employee + resident_scheme
    local coverage = insured / resident
    local note = string.format(
      "参保 %.0f 人（职工 %.0f + 城乡居民 %.0f）÷ 常住人口 %.0f = %.2f%%",
      insured, employee, resident_scheme, resident, 100 * coverage)
    if registered > 0 then
      local reg = insured / registered
      note = note .. string.format("；÷ 户籍人口 %.0f = %.2f%%",
                                   registered, 100 * reg)
      if coverage < params.min_resident and reg >= params.min_resident then
        note = note .. string.format(
          "；按户籍口径达标、按常住口径未达标，距目标尚差 %.0f 人",
          math.ceil(params.min_resident * resident - insured - 1e-6))
      end
    end
    return indicator(coverage, params.min_resident, ">=",
                     { unit = "比例", note = note })
  end,
}
