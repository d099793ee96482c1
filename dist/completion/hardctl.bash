# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for hardctl(8): commands, global and per-command
# options, rule ids (from "hardctl list --format json", with the -p and
# --tailoring already on the line) and profile names (the *.conf files
# with a [profile] section in the directory "hardctl --version" names).

_hardctl_global_opts="--root --store --key --wait --quiet --color --no-pager
--format --version --help"
_hardctl_commands="list explain check diff apply confirm log show rollback
status verify recover report"

# The options COMMAND takes after its name.
_hardctl_command_opts()
{
	local profile="-p --profile --tailoring"
	local select="--rule --severity --skip-rule --skip-severity"
	local common="--format --help"

	case $1 in
	list | explain) echo "$profile $common" ;;
	check) echo "$profile $select --quiet --trace-files --no-cache $common" ;;
	diff) echo "$profile $select --quiet $common" ;;
	apply) echo "$profile $select --quiet --dry-run --reload --confirm-within $common" ;;
	confirm) echo "--check-expired $common" ;;
	rollback) echo "--rule -p --profile --tailoring --dry-run --force --if-unconfirmed $common" ;;
	status) echo "--diff --no-cache -p --profile --tailoring $common" ;;
	verify) echo "--fingerprint --allowed-signers $common" ;;
	log | show | recover | report) echo "$common" ;;
	esac
}

# The binary being completed, as typed (a path or the one on PATH).
_hardctl_bin()
{
	local bin=${COMP_WORDS[0]}

	[[ $bin == */* ]] || bin=$(type -P "$bin" 2>/dev/null)
	[[ -x $bin ]] && printf '%s\n' "$bin"
}

# Rule ids of the profile the line names (or the default one).
_hardctl_rule_ids()
{
	local bin i args=()

	bin=$(_hardctl_bin) || return
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-p | --profile | --tailoring)
			args+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}")
			;;
		--profile=* | --tailoring=*)
			args+=("${COMP_WORDS[i]}")
			;;
		esac
	done
	"$bin" list "${args[@]}" --format json 2>/dev/null |
		grep -o '"id":"[^"]*"' | sed 's/^"id":"//; s/"$//'
}

# Profile names: the *.conf files of the profile directory with a
# [profile] section (example-tailoring.conf is a tailoring, not one).
_hardctl_profiles()
{
	local bin dir f

	bin=$(_hardctl_bin) || return
	dir=$("$bin" --version 2>/dev/null | sed -n 's/^profiles: //p')
	[[ -d $dir ]] || return
	for f in "$dir"/*.conf; do
		[[ -f $f ]] && grep -q '^[[:space:]]*\[profile\]' "$f" &&
			basename "$f" .conf
	done
}

# The lines of standard input that begin with $1.  Not compgen -W, which
# expands its words as a command line would: a profile's file name such
# as "$(cmd).conf" would be run.
_hardctl_match()
{
	local w

	while IFS= read -r w; do
		[[ $w == "$1"* ]] && printf '%s\n' "$w"
	done
	return 0
}

_hardctl()
{
	local cur prev cmd i words

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	# The command: the first word after the global options and their
	# arguments.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--root | --store | --key | --wait | --format) ((i++)) ;;
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done

	case $prev in
	--root | --store)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	--key | --tailoring)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		[[ $prev == --tailoring ]] &&
			COMPREPLY+=($(compgen -W none -- "$cur"))
		return
		;;
	-p | --profile)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(_hardctl_profiles | _hardctl_match "$cur"
			compgen -f -X '!*.conf' -- "$cur"
			compgen -d -- "$cur")
		return
		;;
	--rule | --skip-rule)
		mapfile -t COMPREPLY < <(_hardctl_rule_ids | _hardctl_match "$cur")
		return
		;;
	--severity | --skip-severity)
		mapfile -t COMPREPLY < <(compgen -W "CAT-I CAT-II CAT-III" -- "$cur")
		return
		;;
	--format)
		words="text json"
		[[ -z $cmd || $cmd == check ]] && words="$words junit"
		[[ -z $cmd || $cmd == check || $cmd == report ]] && words="$words html"
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return
		;;
	--wait | --confirm-within | --fingerprint)
		return
		;;
	esac

	# "--color=WHEN": bash splits the word at "=" (COMP_WORDBREAKS).
	if [[ $prev == = && ${COMP_WORDS[COMP_CWORD - 2]} == --color ]] ||
		[[ $cur == = && $prev == --color ]]; then
		[[ $cur == = ]] && cur=
		mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
		return
	fi

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$_hardctl_global_opts" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$_hardctl_commands" -- "$cur")
		fi
		return
	fi

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_hardctl_command_opts "$cmd")" -- "$cur")
		return
	fi
	# explain's operand is a rule id; report's, check's JSON reports.
	if [[ $cmd == explain ]]; then
		mapfile -t COMPREPLY < <(_hardctl_rule_ids | _hardctl_match "$cur")
	elif [[ $cmd == report ]]; then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"
			compgen -d -- "$cur")
	fi
} && complete -F _hardctl hardctl
