# Errors: what happened (id), and what to do (id-do) where there is something to do.

## OAuth: linking and renewing access
oauth-access-denied = Access was denied on the union's consent page (you chose Deny, or the union refused), so nothing was linked.
oauth-access-denied-do = Link the union again to retry.
oauth-authorization = The union's authorization server refused the request ({ $error }). Nothing was linked.
oauth-state-mismatch = The browser returned a response that does not belong to this link attempt (its state does not match), so Kura stopped without linking.
oauth-state-mismatch-do = If you did not start it yourself, someone may be trying to link their account to your Kura; link again.
oauth-issuer-mismatch = The login's answer came from issuer { $received }, not from { $expected }, so Kura stopped without linking (RFC 9207): another server may be trying to take part in this login. Nothing was linked.
oauth-issuer-mismatch-do = Link again; if this repeats, check `issuer` in profiles.toml.
oauth-issuer-missing = The login's answer named no issuer, although { $expected } always names itself (RFC 9207), so Kura stopped without linking. Nothing was linked.
oauth-issuer-missing-do = Link again; if this repeats, check `issuer` in profiles.toml.
oauth-malformed-callback = The browser's redirect to Kura carried neither an authorization code nor an error. Nothing was linked.
oauth-malformed-callback-do = Link the union again.
oauth-timed-out-minutes = No answer from the browser within { $minutes } minutes, so Kura stopped waiting.
oauth-timed-out-minutes-do = Link again and finish the login in the browser window it opens.
oauth-timed-out-seconds = No answer from the browser within { $seconds } seconds, so Kura stopped waiting.
oauth-timed-out-seconds-do = Link again and finish the login in the browser window it opens.
oauth-listen = Kura cannot listen on 127.0.0.1 for the browser's redirect.
oauth-listen-do = Check that no firewall or security tool blocks local connections, and try again.
oauth-browser = Cannot open the browser with `{ $command }`: { $detail }.
oauth-browser-do = Open the address shown in your browser yourself.
oauth-invalid-grant = The union no longer accepts this link's authorization (invalid_grant{ $words }): it expired or was revoked.
oauth-invalid-grant-do = Link the union again; your stored history is kept.
oauth-token-endpoint = The union's token endpoint refused the request ({ $error }).
oauth-client-refused = The union refused the client credentials of profile `{ $profile }` ({ $error }).
oauth-client-refused-do = Check `client_id` in profiles.toml: the union does not know this client.
oauth-client-refused-secret = The union refused the client credentials of profile `{ $profile }` ({ $error }).
oauth-client-refused-secret-do = Check `client_id` in profiles.toml, and give the client secret your intermediary issued again (`kura link <union code> --client-secret-stdin`, or in the app's link dialog).
oauth-network = Kura cannot reach the union's authorization server.
oauth-network-do = Check your connection and try again.
oauth-protocol = The union's authorization server sent an answer Kura does not understand ({ $detail }).
oauth-discovery = Kura found no metadata of the authorization server with issuer { $issuer }. Tried, in order: { $tried }.
oauth-discovery-do = Check `issuer` in profiles.toml: it must be exactly the issuer identifier the union's server names (RFC 8414), or give `authorization_endpoint` and `token_endpoint` instead.
oauth-discovery-not-metadata = not authorization server metadata: { $detail }
oauth-discovery-other-issuer = names the issuer { $issuer }
oauth-unusable-metadata = The authorization server's metadata at { $url } is unusable: { $detail }.
oauth-missing-secret = Profile `{ $profile }` is a confidential client, but its client secret is not in the OS credential store.
oauth-missing-secret-do = Give the secret your intermediary issued in the app's link dialog, or with `kura link <union code> --client-secret-stdin` (it reads the secret from standard input).
oauth-not-confidential = Profile `{ $profile }` is a public client (no `confidential = true` in profiles.toml), so it has no client secret to give.
oauth-empty-secret = The client secret is empty.
oauth-empty-secret-do = Paste the secret your intermediary issued.
oauth-no-refresh-token = This union gives Kura no refresh token, so its access ended when the access token expired.
oauth-no-refresh-token-do = Link the union again to continue; your stored history is kept.

## Profiles (profiles.toml)
profile-unknown-union = { $code } is not one of the 95 credit unions that offer the Open API.
profile-unknown-union-do = Check the 4-digit union code.
profile-read = Cannot read { $path }: { $reason }.
profile-parse = { $path } is not a valid profiles file: { $message }
profile-parse-do = Correct it as the README's profiles.toml example shows.
profile-invalid = Profile `{ $profile }`: { $problem }.
profile-invalid-do = See the profiles.toml format in README.
profile-insecure = { $what } { $url } is not https; Kura only talks plain http to this machine (127.0.0.1, ::1, localhost).
profile-insecure-do = Use the https address.
profile-missing = Profile `{ $name }` is not configured (it may have been removed from profiles.toml).
profile-missing-do = Add it back to profiles.toml, or link the union again.
profile-problem-reserved = the name `sandbox` is reserved for the built-in sandbox
profile-problem-bank-twice = union { $bank } is also served by profile `{ $other }`; each union needs one profile
profile-problem-no-banks = `banks` lists no union
profile-problem-unknown-bank = { $bank } is not one of the 95 unions of the Open API
profile-problem-issuer-query = `issuer` = { $issuer } must not have a query or fragment
profile-problem-half-configured = give either `issuer` (RFC 8414 discovery) or both `authorization_endpoint` and `token_endpoint`
profile-problem-empty-client-id = `client_id` is empty
profile-problem-bad-scopes = `scopes` must list scope names without spaces
profile-problem-not-a-url = `{ $key }` = { $value } is not a URL: { $detail }

## The OS credential store
secrets-unavailable = No OS credential store is available (Secret Service/gnome-keyring, Keychain or Credential Manager), and Kura does not store tokens in plain text.
secrets-unavailable-do = Start your keyring and try again.
secrets-locked = The OS credential store refused access to Kura's entry `{ $entry }`.
secrets-locked-do = Unlock the keyring (it may be locked) and try again.
secrets-store = The OS credential store failed on Kura's entry `{ $entry }`.
secrets-store-do = Try again; if this repeats, restart your keyring.
secrets-corrupt = Kura's entry `{ $entry }` in the OS credential store is damaged.
secrets-corrupt-do = Unlink the union and link it again.
secrets-namespace = Kura cannot prepare its keyring namespace file { $path }.
secrets-namespace-do = Check that Kura's data folder is writable.

## The union's Open API
token-reauth = The union no longer accepts this link's consent ({ $detail }); link the account again.
token-unavailable = Kura could not obtain an access token ({ $detail }).
token-client = Kura could not obtain an access token: { $detail }
token-unreachable = Kura could not reach the union's authorization server to renew the access token.
token-unreachable-do = Check the network connection; Kura tries again on the next sync.
api-retry-after = { " " }(retry after { $seconds } s)
api-no-message = no error message
api-no-version = (none: no X-API-Version header)
api-insecure-url = Kura refuses the API address { $url }: plain http:// is only allowed on loopback (127.0.0.1, ::1, localhost).
api-insecure-url-do = Use https:// in the profile's API address.
api-invalid-url = The API address { $url } is not usable: { $detail }.
api-tls = Kura cannot set up its HTTPS client.
api-network = Kura could not reach { $url }.
api-network-do = Check the network connection; Kura tries again on the next sync.
api-timeout = { $url } did not answer in time (the union may be slow).
api-timeout-do = Kura tries again on the next sync.
api-http = { $url } answered HTTP { $status }{ $code }: { $message }.
api-rate-limited = The union is limiting requests (HTTP 429){ $wait }.
api-rate-limited-do = Kura tries again later.
api-maintenance = The union's API is under maintenance{ $wait }{ $message }.
api-maintenance-do = Kura tries again after the maintenance.
api-unauthorized = The union refused the access token ({ $code }) even after Kura renewed it; link the account again.
api-incompatible-version = { $url } speaks API version { $found }, but Kura speaks only version 1.x.
api-incompatible-version-do = Update Kura, or check the profile's API address.
api-malformed = The union sent an invalid response from { $url } ({ $field }: { $detail }).
api-malformed-do = Kura tries again on the next sync; if this repeats, report it with the details.
api-too-large = The response from { $url } is larger than { $limit } bytes, so Kura did not read it.
api-paging = Paging through { $url } went wrong: { $detail }.
api-paging-do = The union's API is misbehaving; try again later.

## The local store
store-no-data-dir = Kura cannot find a data folder on this system.
store-no-data-dir-do = Pass --data-dir or set KURA_DATA_DIR.
store-create-dir = Kura cannot create the data folder { $path }.
store-create-dir-do = Pass --data-dir to use another folder.
store-permission-denied = Kura cannot open { $path }: permission denied.
store-permission-denied-do = Check that you own the file and its folder.
store-open = Kura cannot open { $path }.
store-not-a-database = { $path } is not a Kura database or is damaged.
store-not-a-database-do = Move it away and sync again, or restore a backup.
store-busy = The database at { $path } is in use by another program.
store-busy-do = Close other Kura windows and try again.
store-newer-schema = The database at { $path } was written by a newer Kura (schema { $found }; this Kura knows { $supported }).
store-newer-schema-do = To open it, upgrade Kura.
store-migration = Kura cannot update the database schema at { $path }.
store-permissions = Kura cannot make { $path } readable by you alone.
store-unknown-link = There is no link { $id }.
store-unknown-link-do = `kura links` lists the links.
store-unknown-account = There is no account with ID { $id }.
store-unknown-account-do = `kura accounts` lists the IDs.
store-unknown-sync-run = There is no sync run { $id }.
store-unknown-value = The database holds a value this Kura does not understand ({ $value }).
store-unknown-value-do = To read it, upgrade Kura.
store-day-reopened = The bank sent lines of { $date } for account { $account } after lines of another day.
store-day-reopened-do = Sync again: Kura then reads this account keeping every day's lines apart.
store-invalid-cursor = The page cursor { $cursor } is not valid.
store-invalid-cursor-do = Start again from the first page.
store-sqlite = The local database reported an error.

## Exports
export-io = Kura could not write the export ({ $reason }).
export-unmappable = In row { $row } ({ $date }, account { $account }), the { $field } contain { $ch } ({ $code }), which Shift_JIS (CP932) cannot hold.
export-unmappable-do = Choose CSV (UTF-8) instead, or tick "Replace characters Shift_JIS cannot hold" (Shift_JIS で表せない文字を置き換える) to write 〓 in its place.
export-field = { $field ->
        [remarks] remarks
        [category] category names
        [memo] notes (メモ)
        [account] names of the transfer's accounts
       *[other] account details
    }
export-bad-replacement = The substitute { $ch } cannot itself be written in Shift_JIS (CP932).
export-bad-replacement-do = Use '?' or '〓'.
export-xlsx = Kura could not write the XLSX workbook.
export-amount-too-large = In row { $row } ({ $date }, account { $account }): ¥{ $amount } is beyond what a spreadsheet number holds exactly (±2^53).
export-amount-too-large-do = Export CSV instead.
export-sheet-full = The XLSX sheet for { $sheet } would exceed Excel's 1,048,576 rows.
export-sheet-full-do = Export one sheet per account, a shorter period, or CSV.
export-invalid-account-name = { $name } is not a valid { $tool } account name: { $why }.
export-name-rule = { $rule ->
        [empty-component] it has an empty component (write Parent:Child)
        [bad-characters] it contains a tab, line break, ';' or two spaces in a row
        [beancount-root] it must start with Assets, Liabilities, Equity, Income or Expenses
        [beancount-start] each component must start with a capital letter, a digit or a non-ASCII letter
        [beancount-ascii] in beancount Kura writes account names in ASCII: each component starts with a capital letter or a digit and holds only letters, digits and '-'
       *[beancount-chars] components may hold only letters, digits and '-'
    }
export-category-account-name = The category { $category } posts to { $name }, which is not a valid { $tool } account name: { $why }.
export-category-account-name-do = Give the category an account name { $tool } reads, e.g. `kura categories account { $category } Expenses:Food:Dining-Out`, or choose another format.
export-out-of-order = Internal error: a row for account { $account } dated { $date } arrived out of order.
export-out-of-order-do = Report this with the details; rows must arrive grouped by account and sorted by date.
export-unknown-account = There is no account { $id } in Kura's store.
export-unknown-account-do = `kura accounts` lists the account IDs.
export-store = Kura could not read the rows to export from the store.
export-json = Kura could not write a JSON line.

## Moving the data folder
move-not-absolute = The new data folder must be a full path (like /home/you/Documents/Kura), not { $path }.
move-same = { $path } is the data folder already.
move-nested = { $to } and the data folder { $from } are inside one another.
move-nested-do = Choose a folder elsewhere.
move-not-empty = { $path } is not empty; choose an empty or a new folder, so nothing in it is overwritten.
move-explicit = Kura was started with its data folder given (--data-dir or KURA_DATA_DIR), so it cannot move it.
move-explicit-do = Move the folder yourself and start Kura with the new path.
move-no-config-dir = Kura cannot find its config folder to remember the new data folder in.
move-no-config-dir-do = Set KURA_CONFIG_DIR.
move-io = Kura cannot move the data to { $path } ({ $reason }); your data stays where it was.
move-copy = Kura cannot copy the database to { $path } ({ $reason }); your data stays where it was.
move-mismatch = The copy of the database in { $path } does not match the original ({ $detail }); your data stays where it was.

## Linking
link-union = { $name } ({ $code })
link-withdrawn = the union was told to withdraw the new login
link-not-withdrawn = the new login was not kept (the union could not be told; it lapses on its own)
link-accounts = The union accepted the login but then would not list its accounts ({ $reason }). Nothing was linked and the login was withdrawn.
link-accounts-do = Link again; if this repeats, the union's service is at fault.
link-wrong-union = The union's authorization server granted access to union { $granted }, not { $requested }; nothing was linked and the login was withdrawn.
link-secret-refused = { $refused } Nothing was linked; { $kept }.
link-kept-previous = the previously stored secret is kept
link-kept-none = the secret just given was not kept
link-unchecked = Kura could not list this login's accounts at { $union } ({ $reason }), so it cannot tell whether it is the login of link { $link }. Link { $link } was kept as it was and { $withdrawn }.
link-unchecked-do = Link again once the union answers.

## Syncing
sync-store = Kura cannot write to the local database ({ $reason }).
sync-store-do = Check that the disk is not full and try again; what was stored before is unchanged.
sync-inactive = Link { $id } is { $status }; link the union again before syncing.

## Requests of the app
command-unknown = This version of Kura has no command `{ $name }`.
command-bad-request = The request for `{ $command }` is malformed.
command-settings-io = Kura cannot save the settings to { $path }.
command-settings-io-do = Check that Kura's data folder is writable.
request-dates-reversed = The start date { $from } is after the end date { $to }.
request-amounts-reversed = The smallest amount { $min } is above the largest { $max }.
request-unknown-attempt = There is no link attempt { $id }.
request-unknown-attempt-do = Start linking again.
request-not-syncing = Syncing is not running in this Kura process.
request-not-syncing-do = Start it with `kura serve` or the desktop app, or run `kura sync`.
request-poll-interval = The polling interval must be between { $min } minutes and { $max } hours.
request-no-home-folder = Kura cannot find your home folder.
request-no-home-folder-do = Choose where to save the export.
monthly-no-folder = Choose the folder the monthly export is saved to.
monthly-relative = The monthly export folder must be a full path (such as { $example }); got { $folder }.
monthly-folder-gone = The monthly export folder { $folder } does not exist.
monthly-folder-gone-do = Create it (or reconnect its drive), or choose another folder in Settings.
monthly-folder-unreadable = Kura cannot open the monthly export folder { $folder }: { $reason }.
monthly-not-a-folder = { $folder } is a file, not a folder.
monthly-not-a-folder-do = Choose a folder for the monthly export.
monthly-unwritable = Kura cannot write to the monthly export folder { $folder }: { $reason }.
monthly-unwritable-do = Choose a folder you can write to.
monthly-shift-jis-not-csv = Shift_JIS applies to the CSV formats only (CSV, Money Forward ME, Zaim); the monthly export's format is { $format }.
hint-network = Kura shows the data it has cached; it syncs again once the union can be reached.
hint-reauth = Open Links and choose Re-authenticate; your cached history is kept.
hint-keyring = Kura keeps tokens only in the OS credential store (Secret Service, Keychain, Credential Manager); unlock or install it and try again.
hint-builds = Restart Kura; if this persists, the UI and the core are from different builds.
request-month = “{ $month }” is not a month.
request-month-do = Write it as year-month, e.g. 2026-11.
link-fetched-elsewhere = Link { $link } is fetched by another desktop of the household (it holds the tokens).
link-fetched-elsewhere-do = Unlink or renew it on that desktop.
