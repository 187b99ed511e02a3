# Notifications (desktop app): consents, re-authentication, failing syncs.

alert-consent-soon-title = Consent ends soon
alert-consent-soon-body = The consent for { $union } ends on { $on } ({ $days ->
        [0] less than a day left
        [one] 1 day left
       *[other] { $days } days left
    }). Re-authenticate under Links in Kura to keep syncing.
alert-consent-ended-title = Consent has ended
alert-consent-ended-body = The consent for { $union } ended on { $on }. Re-authenticate under Links in Kura to resume syncing.
alert-reauth-title = Re-authentication needed
alert-reauth-body = { $union } needs a new login at the union: re-authenticate under Links in Kura. Your stored history is kept.
alert-failing-title = Sync keeps failing
alert-failing-body = Syncing { $union } has failed for over 6 hours: see the sync log in Kura.
