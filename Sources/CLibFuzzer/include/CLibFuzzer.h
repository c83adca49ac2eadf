#ifndef ROADSHOW_CLIBFUZZER_H
#define ROADSHOW_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for a program with its own main (LLVM 11 and later;
/// linked by `-sanitize=fuzzer`). Only referenced when building with
/// `-DROADSHOW_FUZZING` (`make fuzz`); a normal build never links it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
