# SPDX-License-Identifier: MIT
# The one place that reads verdicts from a serial log (sourced by the runners
# and judges).  Only trusted writers may start a line with what they read:
# every line another domain prints starts with "(dN) " and every line of the
# hypervisor with "(xeno) " (abi.md 7.3), so a verdict counts only at the
# very start of a line, after the UART's carriage returns are gone.
#
#   serial_verdict LOG   SUCCESS, SKIP, ERROR or FAILURE: Domain0's last
#                        "Test result: X" line (nothing if there is none)
#   serial_exit LOG      pass, fail, error or skip: the hypervisor's last "(xeno) machine
#                        exit: X" line (nothing if there is none); the line may
#                        lack its newline (Bochs can stop before the UART sent it)
#   serial_lines LOG     the log without carriage returns, for other greps; a
#                        pattern a verdict rests on must be anchored (^...)

serial_lines() {
	tr -d '\r' <"$1"
}

serial_verdict() {
	serial_lines "$1" | sed -n 's/^Test result: \(SUCCESS\|SKIP\|ERROR\|FAILURE\)$/\1/p' | tail -n 1
}

serial_exit() {
	serial_lines "$1" | sed -n 's/^(xeno) machine exit: \(pass\|fail\|error\|skip\)$/\1/p' |
		tail -n 1
}
