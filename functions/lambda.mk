# What `sam build` runs for a function: each function in template.yaml has
#   CodeUri: functions/<module>        (the Maven module that holds its handler)
#   Metadata: { BuildMethod: makefile }
# and SAM runs `make build-<FunctionLogicalId>` with the module's Makefile (which only includes
# this file) and ARTIFACTS_DIR set, once per function. The artifact is the module's shaded jar,
# unchanged, as lib/<module>-lambda.jar: Lambda's Java runtime puts /var/task/lib/*.jar on the
# classpath, so the function runs from the very jar the tests and benchmarks use.
#
# The jars are built once: the first function whose jar is missing or older than a source runs
# one Maven reactor build of every deployed module (a module is deployed when it has a Makefile)
# with JDK 25; the other functions then only copy. Paths are absolute (from this file's location)
# because SAM runs make in a scratch copy of the module directory.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

lambda_mk := $(abspath $(lastword $(MAKEFILE_LIST)))
root := $(abspath $(dir $(lambda_mk))..)
module_dir := $(abspath $(dir $(firstword $(MAKEFILE_LIST))))
module := $(notdir $(module_dir))
jar := $(module_dir)/target/$(module)-lambda.jar

deployed := $(patsubst $(root)/%/Makefile,%,$(wildcard $(root)/functions/*/Makefile))
comma := ,
empty :=
space := $(empty) $(empty)
# Everything a jar is built from (the parent pom and every function module, common included).
sources := $(root)/pom.xml $(shell find $(root)/functions -path '*/target' -prune -o -type f -print)

build-%: $(jar)
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp "$(jar)" "$(ARTIFACTS_DIR)/lib/"

# Serialised with flock where there is one, so that `sam build --parallel` runs Maven once at a time.
$(jar): $(sources)
	mkdir -p "$(root)/target"
	cd "$(root)" && . infra/env.sh && wsl_find_jdk && \
	  $(if $(shell command -v flock),flock "$(root)/target/sam-maven.lock") \
	  mvn -B -q -ntp -DskipTests -pl $(subst $(space),$(comma),$(deployed)) -am package
	touch $(foreach m,$(deployed),"$(root)/$(m)/target/$(notdir $(m))-lambda.jar")
