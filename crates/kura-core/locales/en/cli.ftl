# The `kura` command.

cli-error = Error: { $what }
cli-details = Details: { $detail }
cli-union = { $name } ({ $code })
cli-union-code-first = { $code } { $name }
cli-none-linked = No unions linked yet. Link one with `kura link <union code>`, e.g. `kura link 2011`.

# kura link
cli-link-linking = Linking { $union }.
cli-link-open-yourself = Open this address in your browser:
cli-link-browser-opens = Your browser opens the union's login page. If it does not, open this address:
cli-link-waiting = Waiting for you to log in and allow access (up to { $minutes } minutes; Ctrl+C cancels)…
cli-link-secret-stored = Stored the client secret of profile `{ $profile }` in the OS credential store.
cli-link-done = Linked { $union }: { $count } account(s).
cli-link-accounts-later = The union could not list the accounts yet ({ $reason }); the next sync lists them.
cli-link-consent-until = Consent expires on { $date } (in { $days } days).
cli-link-consent-unknown = The union did not say when your consent expires, so Kura cannot remind you before it does; syncing stops then and `kura links` shows the link needs a new login.
cli-link-no-refresh = This union gives Kura no refresh token: the link works until { $until } (JST), and every time after that it needs a new login (`kura link { $code }`).
cli-link-next = Next: run `kura sync` to fetch balances and history.
cli-secret-prompt = Client secret (ends with Enter):{" "}
cli-secret-unreadable = Cannot read the client secret from standard input.
cli-secret-empty = Standard input held no client secret.

# kura links
cli-links-line = { $id }  { $union }  { $status }  { $count } account(s)  { $consent }
cli-links-last-error = last error: { $message }
cli-status-active = active
cli-status-reauth = reauth required (run `kura link` for this union again)
cli-status-revoked = revoked (unlinked; cached data kept)
cli-consent-unknown = consent expiry unknown
cli-consent-expired = consent expired
cli-consent-today = consent expires today
cli-consent-in = { $days ->
        [one] consent expires in 1 day
       *[other] consent expires in { $days } days
    }
cli-reminder-expired = Reminder: the consent for { $union } has expired; run `kura link { $code }` to renew it.
cli-reminder-soon = Reminder: the consent for { $union } expires in { $days } day(s); run `kura link { $code }` to renew it before syncing stops.

# kura unlink
cli-unlink-ask = Keep the cached accounts and history of { $code } for reading offline? [k]eep / [p]urge:{" "}
cli-unlink-answer = Answer k (keep) or p (purge).
cli-unlink-no-answer = No answer; nothing was unlinked.
cli-unlink-say-what = Say what to do with the cached accounts and history: `kura unlink { $id } --keep-data` or `--purge`.
cli-unlink-revoked = The union revoked Kura's access.
cli-unlink-not-told = Could not tell the union to revoke access ({ $reason }); it lapses when the consent expires.
cli-unlink-no-revocation = The union offers no revocation; Kura's access lapses when the consent expires.
cli-unlink-tokens-deleted = Deleted the tokens from the OS credential store.
cli-unlink-secret-deleted = Deleted the client secret of profile `{ $profile }` too: no other link uses it. `kura link --client-secret-stdin` stores it again.
cli-unlink-kept = Kept the cached accounts and history; `kura link { $code }` continues them.
cli-unlink-purged = Deleted the link's accounts and history from this computer.

# kura sync
cli-sync-link = { $union } (link { $id })
cli-sync-skipped = skipped: { $status }; re-link with `kura link { $code }`
cli-sync-account = { $account }  { $count } new  balance { $balance }
cli-sync-warning = warning: { $text }
cli-sync-error = error: { $text }
cli-sync-todo = what to do: { $text }
cli-sync-relink = re-link with `kura link { $code }`
cli-sync-wait = try again in { $minutes } minutes
cli-sync-some-failed = Some accounts did not sync; what was stored before is unchanged.
cli-warning-mismatch = the balance does not add up: previous { $previous } + new lines { $lines } ≠ { $balance }; the bank may have posted a correction
cli-warning-gap = history from { $from } to { $to } was not synced in time and is no longer available from the bank
cli-warning-at-risk = not synced for { $days } days; history older than 90 days is lost if not synced soon

# kura accounts
cli-accounts-none = No accounts yet. Link a union with `kura link <union code>`, then run `kura sync`.
cli-col-id = ID
cli-col-union = Union
cli-col-branch = Branch
cli-col-type = Type
cli-col-number = Number
cli-col-balance = Balance
cli-col-as-of = As of (JST)
cli-col-synced = Synced
cli-col-flags = Flags
cli-col-date = Date
cli-col-account = Account
cli-col-amount = Amount
cli-col-remarks = Remarks
cli-fresh = fresh
cli-stale = stale
cli-at-risk = AT RISK: sync now
cli-never = never
cli-flag-relink = re-link needed
cli-flag-unlinked = unlinked
cli-flag-mismatch = balance mismatch
cli-flag-gaps = gaps
cli-flag-hidden = hidden
cli-accounts-gap = account { $id }: history from { $from } to { $to } was lost (not synced before the bank stopped serving it)

# kura tx
cli-tx-none = No transactions match.
cli-tx-more = More: kura tx ... --after { $cursor }
cli-tx-bad-date = { $value } is not a date; write it as 2026-11-24 or 2026/11/24

# Shared by the books' commands
cli-list-separator = {", "}
cli-confirm = { $question } [y/N]:{" "}
cli-confirm-answer = Answer y (yes) or n (no).
cli-confirm-no-answer = No answer; nothing was changed.
cli-nothing-changed = Nothing was changed.
cli-bad-yen = { $value } is not an amount of yen; write it as 12000, 12,000 or ¥12,000
cli-lines = { $lines ->
        [one] 1 line
       *[other] { $lines } lines
    }
cli-category-did-you-mean = Did you mean { $names }?
cli-col-category = Category
cli-col-memo = Memo
cli-col-other-name = Japanese name
cli-col-budget = Budget
cli-col-journal-account = Journal account
cli-col-position = #
cli-col-state = State
cli-col-builtin = Kura's
cli-col-condition = When
cli-col-action = Then
cli-col-rules = Rules
cli-col-lines = Lines
cli-col-month = Month
cli-col-spending = Spending
cli-col-income = Income
cli-col-net = Net

# kura categories
cli-categories-spending = Spending
cli-categories-income = Income
cli-categories-added = Added { $path } (ID { $id }).
cli-categories-renamed = Renamed { $old } to { $new }.
cli-categories-moved = Moved { $path } to place { $position }.
cli-categories-account-set = { $path } now posts to { $account } in journal exports.
cli-categories-account-default = { $path } posts to the account made from its names again.
cli-categories-budget-set = Budget of { $path }: { $amount } a month.
cli-categories-budget-removed = Removed the budget of { $path }.
cli-categories-delete-heading = Deleting { $path }:
cli-categories-delete-unused = nothing is filed under it.
cli-categories-delete-lines = { $lines ->
        [one] 1 line becomes uncategorised
       *[other] { $lines } lines become uncategorised
    }
cli-categories-delete-rules = { $rules ->
        [one] 1 rule files into it: it stops doing so (and is deleted if it does nothing else)
       *[other] { $rules } rules file into it: they stop doing so (and are deleted if they do nothing else)
    }
cli-categories-delete-children = its { $count } subcategories go too: { $names }
cli-categories-delete-budget = its budget is removed
cli-categories-delete-ask = Delete { $path }?
cli-categories-delete-say = To delete { $path }, say where its lines go: `kura categories delete { $category } --move-to <category>`, or `--yes` to leave them uncategorised.
cli-categories-deleted = Deleted { $path }.
cli-categories-deleted-moved = Deleted { $path }; { $lines } line(s) and { $rules } rule(s) now go to { $target }.

# kura rules
cli-rule-contains = remarks contain “{ $pattern }”
cli-rule-is = remarks are “{ $pattern }”
cli-rule-starts-with = remarks start with “{ $pattern }”
cli-rule-regex = remarks match /{ $pattern }/
cli-rule-in = money in
cli-rule-out = money out
cli-rule-range = { $min } to { $max }
cli-rule-min = { $min } or more
cli-rule-max = up to { $max }
cli-rule-account = account { $id }
cli-rule-every-line = every line
cli-rule-and = {", "}
cli-rule-memo = memo “{ $memo }”
cli-rule-transfer = transfer
cli-rules-none = No rules. Add one with `kura rules add --contains <text> --category <category>`.
cli-rules-on = on
cli-rules-off = off
cli-rules-builtin-note = * Kura's starter rules: switch them off with `kura rules disable <ID>`, change them with `kura rules edit <ID>`. The first rule that matches a line files it.
cli-rules-added = Added rule { $id } at place { $position }: { $rule }
cli-rules-edited = Changed rule { $id }: { $rule }
cli-rules-moved = Rule { $id } now runs at place { $position }.
cli-rules-deleted = Deleted rule { $id } ({ $rule }). The lines it filed keep their category until `kura rules apply`.
cli-rules-enabled = Switched rule { $id } on.
cli-rules-disabled = Switched rule { $id } off. The lines it filed keep their category until `kura rules apply`.
cli-rules-reach = It would change { $lines } stored line(s): see them with `kura rules apply --rule { $id } --dry-run`, apply it with `kura rules apply --rule { $id }`.
cli-rules-reach-none = It changes none of the stored lines; new lines are filed by it as they arrive.
cli-rules-apply-nothing = The stored lines are all filed as the rules say; nothing to change.
cli-rules-apply-preview = Applying the rules changes { $lines } line(s) (never what you set yourself):
cli-rules-samples = For example:
cli-rules-dry-run = Dry run: nothing was changed. `kura rules apply` makes exactly these changes.
cli-rules-apply-ask = Change these { $lines } line(s)?
cli-rules-apply-say = To apply the rules without being asked, add --yes (see first with --dry-run).
cli-rules-applied = Changed { $lines } line(s).
cli-rules-export-exists = { $path } exists already; pass --force to replace it, or choose another file.
cli-rules-exported = Wrote { $count } rule(s) to { $path }.
cli-rules-import-unreadable = Cannot read the rules file { $path }; check the path.
cli-rules-imported = Imported { $count } rule(s); there are { $total } now.
cli-rules-apply-hint = They file new lines from now on; `kura rules apply --dry-run` shows what they would change in the stored ones.

# kura tx (the books)
cli-tx-transfer = [transfer]
cli-tx-filed = Line { $id } ({ $line }) is now filed under { $category }.
cli-tx-unfiled = Line { $id } ({ $line }) is now uncategorised; the rules leave it so.
cli-tx-memo-set = Line { $id } ({ $line }): memo “{ $memo }”.
cli-tx-memo-cleared = Line { $id } ({ $line }): memo removed.
cli-tx-transfer-on = Line { $id } ({ $line }) is marked as a transfer: left out of spending and income.
cli-tx-transfer-off = Line { $id } ({ $line }) is no longer a transfer: it counts as spending or income again.
cli-tx-reset = Line { $id } ({ $line }) is filed by the rules again: { $filed }.
cli-tx-reset-uncategorised = Line { $id } ({ $line }) is filed by the rules again: no rule matches it, so it is uncategorised.
cli-tx-suggest = To file lines like it the same way from now on ({ $lines } other stored line(s) would change), make a rule:

# kura report
cli-report-title = Household books, { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[other] December
    } { $year }
cli-report-year-title = { $year }, month by month
cli-report-totals = Spending { $spending }   Income { $income }   Net { $net }
cli-report-spending = Spending
cli-report-income = Income
cli-report-total = Total
cli-report-no-lines = No lines this month.
cli-report-uncategorised = { $lines } uncategorised line(s) to file: `{ $command }`
cli-report-transfers = Left out as transfers: { $lines } line(s), { $moved_in } in and { $moved_out } out (`{ $command }`).
cli-report-budget = { $monthly } ({ $pace })
cli-report-pace = { $left } left, { $per_day } a day
cli-report-left = { $left } left
cli-report-over = { $over } over

# kura export
cli-export-dates-reversed = --from { $from } is after --to { $to }
cli-export-journal-account = --journal-account takes ID=NAME, e.g. 2011-001-1-1234567=Assets:Bank:Futsu; got { $got }
cli-export-month = --month takes YYYY-MM, e.g. 2026-10; got { $got }
cli-export-xlsx-terminal = An XLSX workbook is binary; write it to a file with -o FILE.xlsx.
cli-export-exists = { $path } exists already; pass --force to replace it, or choose another file with -o.
cli-export-failed = Export to { $path } failed; no file was written.
cli-export-choose-folder = To export, choose a folder that exists and that you may write to.
cli-export-monthly-failed = Monthly export to { $dir } failed; no file was written.
cli-export-done = { $rows } rows from { $accounts } accounts exported
cli-export-done-to = { $rows } rows from { $accounts } accounts exported to { $path }
cli-export-month-written = { $rows } rows exported to { $path }
cli-export-month-exists = { $path } exists already; nothing to do
cli-export-unmappable-todo = Export UTF-8 instead (without --encoding cp932), or pass --replace-unmappable to write 〓 in its place.

# kura serve
cli-serve-ready = Kura is ready at { $url }
cli-serve-open-failed = Could not open the browser ({ $reason }); open the address above yourself.
cli-serve-hint = (open that address; it holds this session's key. Ctrl-C stops Kura.)
cli-serve-listen-failed = Cannot listen on 127.0.0.1:{ $port }; choose another port with --port.
cli-serve-no-temp-folder = Cannot create a temporary folder for browser downloads.
cli-serve-stopped = The web server stopped with an error.
serve-foreign-host = Kura answers only to 127.0.0.1 and localhost on its own port.
serve-no-token = Missing or wrong session token: open the address `kura serve` printed.
serve-download-gone = This download link was used already or has expired; export again from Kura.
serve-download-unreadable = The export file could not be read; export again.
cli-serve-monthly-written = monthly export: { $rows } rows written to { $path }
cli-serve-monthly-failed = warning: the monthly export failed: { $reason }

# kura sandbox
cli-sandbox-bad-faults = The fault flags do not go together.
cli-sandbox-no-start = Cannot start the sandbox.
cli-sandbox-no-signal = Cannot listen for Ctrl-C.
cli-sandbox-serving = Kura sandbox (simulated federation Open API { $version }) on { $base }
cli-sandbox-ca = HTTPS certificate authority written to { $path } — trust it explicitly in clients
cli-sandbox-today = simulated today: { $today } (JST)
cli-sandbox-logins = Demo logins (username / password):
cli-sandbox-accounts-everywhere = accounts at all { $count } unions
cli-sandbox-accounts-at = accounts at { $unions }
cli-sandbox-how = How to log in:
cli-sandbox-how-open = `kura link` opens your browser at the authorization endpoint, e.g.
cli-sandbox-how-sign-in = sign in as demo/demo, choose the accounts to share, and Kura receives the tokens on 127.0.0.1.
cli-sandbox-metadata = OAuth metadata: { $url }
cli-sandbox-metadata-path = issuer { $issuer }; OAuth metadata only at { $issuer }/.well-known/openid-configuration and { $issuer }/.well-known/oauth-authorization-server
cli-sandbox-admin = Admin (loopback only): { $base }/admin/faults, { $base }/admin/clock, POST { $base }/admin/tokens
cli-sandbox-confidential = A confidential client, as a contracted intermediary would deploy Kura (client_secret_basic):
cli-sandbox-client = client id { $id }, secret { $secret }, loopback redirects on any port. In profiles.toml:
cli-sandbox-client-then = then link 2011 in the app (it asks for the secret), or `kura link 2011 --client-secret-stdin`.
cli-sandbox-reserved = Another one has an id and secret full of characters HTTP Basic must form-encode: client id { $id }, secret { $secret }.
cli-sandbox-until-stopped = Serving until Ctrl-C.

# kura household, kura link --member
cli-col-member = Member
cli-col-colour = Colour
cli-col-links = Links
cli-col-accounts = Accounts
cli-col-share = Share
cli-household-total = Household total: { $total }
cli-household-added = Added the member “{ $name }”.
cli-household-renamed = Renamed “{ $old }” to “{ $name }”.
cli-household-recoloured = “{ $name }” is now { $colour }.
cli-household-remove-confirm = Remove the member “{ $name }”? Their links, accounts and history stay, with another member.
cli-household-remove-unasked = To remove “{ $name }”, add --yes (their links go to the member --to names, else to the first member).
cli-household-remove-kept = “{ $name }” stays.
cli-household-removed = Removed the member “{ $name }”; their links are now “{ $heir }”'s.
cli-household-assigned = Link { $link } is now “{ $name }”'s.
cli-link-renewed = Renewed the consent of link { $id } ({ $member }).
cli-link-new = Added link { $id } as “{ $member }”'s.
cli-link-ask-member = { $union } is linked already ({ $holders }). Who is about to log in? If it is someone else, their login becomes a link of their own.
cli-link-ask-member-prompt = Number or name (1–{ $count }):{" "}
cli-link-ask-member-again = Answer with a number from 1 to { $count }, or a member's name.

# kura share
cli-share-none = This household is not shared yet. Set up a shared folder with `kura share create FOLDER`, or join one with `kura share join FOLDER`.
cli-share-folder = Shared folder: { $folder } (this desktop: { $name })
cli-share-no-peers = Nothing has come from another desktop yet.
cli-share-peer = { $name }: last heard from { $at }. Links it fetches: { $links }
cli-share-problem = { $at } { $file }: { $problem }
cli-share-problem-not-kura = Not a Kura file; left alone.
cli-share-problem-newer = Written by a newer Kura; update Kura to read it.
cli-share-problem-other-household = Another household's file; left alone.
cli-share-problem-misplaced = Its contents do not match its place; left alone.
cli-share-problem-incomplete = Still being written, or cut off; read again once whole.
cli-share-problem-wrong-key = It does not open with this household's key (another key, or damaged).
cli-share-problem-unreadable = It opened, but what it holds cannot be read.
cli-share-created = { $folder } is now the household's shared folder. Other desktops join it with this pairing code:
cli-share-created-next = Share the folder with Syncthing (or the sync you use), then run `kura share join FOLDER CODE` on the other desktop. `kura share code` shows the code again.
cli-share-joined = Joined the household in { $folder }.
cli-share-code-prompt = Pairing code:{" "}
cli-share-written = Recorded this desktop's changes (segment { $seq }).
cli-share-applied = Applied { $segments } segment(s) from other desktops ({ $lines } line(s), { $edits } edit(s)).
cli-share-skipped = { $count } file(s) were left alone; `kura share` says why.
cli-share-leave-confirm = Leave the household's sharing? This desktop's data stays.
cli-share-leave-unasked = To leave, add --yes (the data stays).
cli-share-left = Left the household's sharing. The data stays on this desktop.
