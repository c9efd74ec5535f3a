local io2 = _G.io.stdout
