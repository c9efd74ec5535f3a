# Entry points for people: `make demo` and `make test` set up what is
# missing, build, and run. The build itself is CMake's (build/).
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
EQUIRULE = $(BUILD)/equirule

.PHONY: all setup build demo test clean

all: build

setup:
	@sh scripts/setup

build: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

# Builds, creates a fresh database with the built-in Guangdong sample and
# runs every shipped rule on 2018-2020. Failing findings are the point of the
# demo, so exit status 1 (findings failed) counts as success here.
demo: build
	@rm -f $(BUILD)/demo.db $(BUILD)/demo.db-wal $(BUILD)/demo.db-shm
	@$(EQUIRULE) init --sample --db $(BUILD)/demo.db
	@$(EQUIRULE) run --db $(BUILD)/demo.db --rules rules --years 2018-2020; \
	  rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 1 ]
	@echo
	@echo "the province's values are roll-ups of its cities' (equirule explain finance.short_board 440000 --year 2019):"
	@$(EQUIRULE) explain finance.short_board 440000 --db $(BUILD)/demo.db --rules rules --year 2019 | grep -m 3 derived

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
