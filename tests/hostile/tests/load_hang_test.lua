-- Hostile test file: its top level loops in a message handler while an
-- error is raised (C code the instruction limit cannot stop). `test` stops
-- it at the deadline and fails this file; the other files run.
-- expect-test: timeout: loading FILE did not finish within 1 s and was stopped (a hang the instruction limit cannot stop)
xpcall(function() while true do end end, function() while true do end end)
return {}
