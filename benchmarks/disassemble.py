#!/usr/bin/env python3
"""Disassembles a method C2 compiled, from HotSpot's -XX:+PrintAssembly output without hsdis.

Without an hsdis library HotSpot prints a compiled method's code as hex words. This script takes
the N-th "Compiled method (c2)" of such an output (1 = the first), puts its bytes back at their
addresses and runs objdump on them (Intel syntax). Usage (docs/PERFORMANCE.md, "Looking at the
compiled code"):

    java -XX:+UnlockDiagnosticVMOptions \\
        -XX:CompileCommand=print,dev.netforge.runtime.PanamaKernels::pointwise6x2 \\
        --add-modules jdk.incubator.vector -cp target/benchmarks.jar \\
        dev.netforge.benchmarks.QuickTimer mobilenet 1 > print.txt 2>&1
    grep 'Compiled method (c2)' print.txt      # which compilations there are
    python3 disassemble.py print.txt 2 | less  # the second one
"""
import re
import subprocess
import sys
import tempfile


def code_bytes(text, n):
    methods = text.split("Compiled method (c2)")
    if n < 1 or n >= len(methods):
        sys.exit(f"no C2 method number {n}: the output holds {len(methods) - 1}")
    method = methods[n]
    start_of_code = method.index("[Verified Entry Point]")
    end = method.find("[Exception Handler]", start_of_code)
    code = bytearray()
    start = None
    for line in method[start_of_code:end if end >= 0 else None].splitlines():
        m = re.match(r"\s*0x([0-9a-f]+): ([0-9a-f| ]+)$", line)
        if not m:
            continue  # comments, labels
        address = int(m.group(1), 16)
        start = address if start is None else start
        words = bytes.fromhex(m.group(2).replace("|", "").replace(" ", ""))
        offset = address - start
        code.extend(b"\x90" * max(0, offset - len(code)))
        code[offset:offset + len(words)] = words
    if start is None:
        sys.exit("no code bytes found (was the output printed with hsdis? then it is readable as it is)")
    return start, bytes(code)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        start, code = code_bytes(f.read(), int(sys.argv[2]))
    with tempfile.NamedTemporaryFile(suffix=".bin") as binary:
        binary.write(code)
        binary.flush()
        subprocess.run(["objdump", "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                        f"--adjust-vma=0x{start:x}", binary.name], check=True)


if __name__ == "__main__":
    main()
