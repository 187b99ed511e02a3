# `kura` コマンド。

cli-error = エラー: { $what }
cli-details = 詳細: { $detail }
cli-union = { $name }（{ $code }）
cli-union-code-first = { $code } { $name }
cli-none-linked = まだ連携がありません。`kura link <組合コード>` で連携してください（例: `kura link 2011`）。

# kura link
cli-link-linking = { $union } と連携します。
cli-link-open-yourself = ブラウザで次のアドレスを開いてください:
cli-link-browser-opens = ブラウザで組合のログイン画面が開きます。開かない場合は次のアドレスを開いてください:
cli-link-waiting = ログインして連携を許可するのを待っています（最長 { $minutes } 分。Ctrl+C で中止）…
cli-link-secret-stored = プロファイル `{ $profile }` のクライアントシークレットを OS の資格情報ストアに保存しました。
cli-link-done = { $union } と連携しました: 口座 { $count } 件。
cli-link-accounts-later = 組合がまだ口座の一覧を返していません（{ $reason }）。次の同期で取得します。
cli-link-consent-until = 同意の有効期限は { $date } です（あと { $days } 日）。
cli-link-consent-unknown = 組合が同意の有効期限を知らせていないため、期限前にお知らせできません。期限を過ぎると同期が止まり、`kura links` に再ログインが必要と表示されます。
cli-link-no-refresh = この組合は更新用のトークンを発行しないため、連携は { $until }（日本時間）まで有効です。それ以降は毎回ログインし直す必要があります（`kura link { $code }`）。
cli-link-next = 次に `kura sync` を実行すると、残高と明細を取得します。
cli-secret-prompt = クライアントシークレット（Enter で確定）:{" "}
cli-secret-unreadable = 標準入力からクライアントシークレットを読めません。
cli-secret-empty = 標準入力にクライアントシークレットがありません。

# kura links
cli-links-line = { $id }  { $union }  { $status }  口座 { $count } 件  { $consent }
cli-links-last-error = 直近のエラー: { $message }
cli-status-active = 有効
cli-status-reauth = 再認証が必要（この組合で `kura link` をもう一度実行してください）
cli-status-revoked = 解除済み（保存済みのデータは残っています）
cli-consent-unknown = 同意の期限は不明
cli-consent-expired = 同意の期限切れ
cli-consent-today = 同意は今日まで
cli-consent-in = 同意の期限まであと { $days } 日
cli-reminder-expired = お知らせ: { $union } の同意は期限が切れています。`kura link { $code }` で更新してください。
cli-reminder-soon = お知らせ: { $union } の同意はあと { $days } 日で切れます。同期が止まる前に `kura link { $code }` で更新してください。

# kura unlink
cli-unlink-ask = { $code } の保存済みの口座と明細を、オフラインで読むために残しますか？ [k] 残す / [p] 削除:{" "}
cli-unlink-answer = k（残す）か p（削除）で答えてください。
cli-unlink-no-answer = 答えがなかったため、連携は解除していません。
cli-unlink-say-what = 保存済みの口座と明細をどうするか指定してください: `kura unlink { $id } --keep-data` または `--purge`。
cli-unlink-revoked = 組合が Kura のアクセスを取り消しました。
cli-unlink-not-told = 組合にアクセスの取り消しを伝えられませんでした（{ $reason }）。アクセスは同意の期限で切れます。
cli-unlink-no-revocation = この組合には取り消しの仕組みがありません。Kura のアクセスは同意の期限で切れます。
cli-unlink-tokens-deleted = OS の資格情報ストアからトークンを削除しました。
cli-unlink-secret-deleted = プロファイル `{ $profile }` のクライアントシークレットも削除しました（ほかに使う連携がないため）。`kura link --client-secret-stdin` で再び保存できます。
cli-unlink-kept = 保存済みの口座と明細は残しました。`kura link { $code }` で続きから同期できます。
cli-unlink-purged = この連携の口座と明細をこのコンピューターから削除しました。

# kura sync
cli-sync-link = { $union }（連携 { $id }）
cli-sync-skipped = 同期しませんでした: { $status }。`kura link { $code }` で連携し直してください
cli-sync-account = { $account }  新規 { $count } 件  残高 { $balance }
cli-sync-warning = 注意: { $text }
cli-sync-error = エラー: { $text }
cli-sync-todo = 対処: { $text }
cli-sync-relink = `kura link { $code }` で連携し直してください
cli-sync-wait = { $minutes } 分後にもう一度お試しください
cli-sync-some-failed = 同期できなかった口座があります。それまでに保存した内容は変わっていません。
cli-warning-mismatch = 残高が合いません: 前回 { $previous } + 新しい明細 { $lines } ≠ { $balance }。組合が訂正を記帳した可能性があります
cli-warning-gap = { $from } から { $to } の明細は間に合わず、組合からはもう取得できません
cli-warning-at-risk = { $days } 日間同期していません。90日より前の明細は、すぐに同期しないと失われます

# kura accounts
cli-accounts-none = まだ口座がありません。`kura link <組合コード>` で連携し、`kura sync` を実行してください。
cli-col-id = ID
cli-col-union = 組合
cli-col-branch = 支店
cli-col-type = 種目
cli-col-number = 口座番号
cli-col-balance = 残高
cli-col-as-of = 時点（日本時間）
cli-col-synced = 同期
cli-col-flags = 状態
cli-col-date = 日付
cli-col-account = 口座
cli-col-amount = 金額
cli-col-remarks = 摘要
cli-fresh = 最新
cli-stale = 古い
cli-at-risk = 要注意: すぐ同期してください
cli-never = 未同期
cli-flag-relink = 再連携が必要
cli-flag-unlinked = 連携解除済み
cli-flag-mismatch = 残高不一致
cli-flag-gaps = 欠落あり
cli-flag-hidden = 非表示
cli-accounts-gap = 口座 { $id }: { $from } から { $to } の明細は失われました（組合が提供をやめる前に同期できませんでした）

# kura tx
cli-tx-none = 条件に合う明細はありません。
cli-tx-more = 続き: kura tx ... --after { $cursor }
cli-tx-bad-date = { $value } は日付ではありません。2026-11-24 または 2026/11/24 の形で書いてください

# 家計簿のコマンドで共通
cli-list-separator = 、
cli-confirm = { $question } [y/N]:{" "}
cli-confirm-answer = y（はい）か n（いいえ）で答えてください。
cli-confirm-no-answer = 答えがなかったので、何も変更していません。
cli-nothing-changed = 何も変更していません。
cli-bad-yen = { $value } は金額ではありません。12000、12,000、¥12,000 のように書いてください
cli-lines = { $lines }件
cli-category-did-you-mean = もしかして { $names } のことですか？
cli-col-category = カテゴリ
cli-col-memo = メモ
cli-col-other-name = 英語名
cli-col-budget = 予算
cli-col-journal-account = 仕訳の勘定科目
cli-col-position = 順
cli-col-state = 状態
cli-col-builtin = 標準
cli-col-condition = 条件
cli-col-action = 分類
cli-col-rules = ルール
cli-col-lines = 件数
cli-col-month = 月
cli-col-spending = 支出
cli-col-income = 収入
cli-col-net = 収支

# kura categories
cli-categories-spending = 支出
cli-categories-income = 収入
cli-categories-added = { $path } を追加しました（ID { $id }）。
cli-categories-renamed = { $old } の名前を { $new } に変えました。
cli-categories-moved = { $path } を { $position } 番目に移しました。
cli-categories-account-set = 仕訳の書き出しで { $path } は { $account } に記帳されます。
cli-categories-account-default = { $path } は名前から作る勘定科目に記帳されるよう戻しました。
cli-categories-budget-set = { $path } の予算: 月 { $amount }。
cli-categories-budget-removed = { $path } の予算を外しました。
cli-categories-delete-heading = { $path } を削除すると:
cli-categories-delete-unused = このカテゴリに分類されたものはありません。
cli-categories-delete-lines = { $lines }件の明細が未分類になります
cli-categories-delete-rules = このカテゴリに分類するルール { $rules }件は分類しなくなります（ほかに何もしないルールは削除されます）
cli-categories-delete-children = 中項目 { $count }件も削除されます: { $names }
cli-categories-delete-budget = 予算も外れます
cli-categories-delete-ask = { $path } を削除しますか？
cli-categories-delete-say = { $path } を削除するには明細の行き先を指定してください: `kura categories delete { $category } --move-to <カテゴリ>`。未分類にしてよければ `--yes` を付けてください。
cli-categories-deleted = { $path } を削除しました。
cli-categories-deleted-moved = { $path } を削除しました。明細 { $lines }件とルール { $rules }件は { $target } に移りました。

# kura rules
cli-rule-contains = 摘要に「{ $pattern }」を含む
cli-rule-is = 摘要が「{ $pattern }」
cli-rule-starts-with = 摘要が「{ $pattern }」で始まる
cli-rule-regex = 摘要が /{ $pattern }/ に一致
cli-rule-in = 入金
cli-rule-out = 出金
cli-rule-range = { $min }〜{ $max }
cli-rule-min = { $min } 以上
cli-rule-max = { $max } 以下
cli-rule-account = 口座 { $id }
cli-rule-every-line = すべての明細
cli-rule-and = ・
cli-rule-memo = メモ「{ $memo }」
cli-rule-transfer = 振替
cli-rules-none = ルールはありません。`kura rules add --contains <文字> --category <カテゴリ>` で追加できます。
cli-rules-on = 有効
cli-rules-off = 無効
cli-rules-builtin-note = * は Kura の標準ルールです。`kura rules disable <ID>` で止め、`kura rules edit <ID>` で変えられます。明細は最初に当てはまったルールで分類されます。
cli-rules-added = ルール { $id } を { $position } 番目に追加しました: { $rule }
cli-rules-edited = ルール { $id } を変更しました: { $rule }
cli-rules-moved = ルール { $id } は { $position } 番目に動くようになりました。
cli-rules-deleted = ルール { $id }（{ $rule }）を削除しました。これまでに分類した明細は `kura rules apply` までそのままです。
cli-rules-enabled = ルール { $id } を有効にしました。
cli-rules-disabled = ルール { $id } を無効にしました。これまでに分類した明細は `kura rules apply` までそのままです。
cli-rules-reach = 保存済みの明細 { $lines }件が変わります。`kura rules apply --rule { $id } --dry-run` で確かめ、`kura rules apply --rule { $id }` で適用できます。
cli-rules-reach-none = 保存済みの明細は変わりません。新しい明細は届いたときにこのルールで分類されます。
cli-rules-apply-nothing = 保存済みの明細はすべてルールどおりに分類されています。変更はありません。
cli-rules-apply-preview = ルールを適用すると { $lines }件の明細が変わります（自分で設定したものは変わりません）:
cli-rules-samples = 例:
cli-rules-dry-run = ドライランのため、何も変更していません。`kura rules apply` でこのとおりに変更します。
cli-rules-apply-ask = この { $lines }件の明細を変更しますか？
cli-rules-apply-say = 確認なしで適用するには --yes を付けてください（先に --dry-run で確かめられます）。
cli-rules-applied = { $lines }件の明細を変更しました。
cli-rules-export-exists = { $path } はすでにあります。置き換えるには --force を付けるか、別のファイルを指定してください。
cli-rules-exported = ルール { $count }件を { $path } に書き出しました。
cli-rules-import-unreadable = ルールファイル { $path } を読めません。パスを確かめてください。
cli-rules-imported = ルールを { $count }件読み込みました（全部で { $total }件）。
cli-rules-apply-hint = これからの明細はこのルールで分類されます。保存済みの明細がどう変わるかは `kura rules apply --dry-run` で確かめられます。

# kura tx（家計簿）
cli-tx-transfer = [振替]
cli-tx-filed = 明細 { $id }（{ $line }）を { $category } に分類しました。
cli-tx-unfiled = 明細 { $id }（{ $line }）を未分類にしました。ルールでは変わりません。
cli-tx-memo-set = 明細 { $id }（{ $line }）: メモ「{ $memo }」
cli-tx-memo-cleared = 明細 { $id }（{ $line }）のメモを消しました。
cli-tx-transfer-on = 明細 { $id }（{ $line }）を振替にしました。支出・収入には数えません。
cli-tx-transfer-off = 明細 { $id }（{ $line }）を振替から外しました。支出か収入に数えます。
cli-tx-reset = 明細 { $id }（{ $line }）の分類をルールに戻しました: { $filed }
cli-tx-reset-uncategorised = 明細 { $id }（{ $line }）の分類をルールに戻しました。当てはまるルールがないので未分類です。
cli-tx-suggest = 同じような明細をこれからも同じように分類するには、ルールを作ってください（保存済みの明細 { $lines }件も変わります）:

# kura report
cli-report-title = { $year }年{ $month }月の家計簿
cli-report-year-title = { $year }年の月ごとの収支
cli-report-totals = 支出 { $spending }   収入 { $income }   収支 { $net }
cli-report-spending = 支出
cli-report-income = 収入
cli-report-total = 合計
cli-report-no-lines = この月の明細はありません。
cli-report-uncategorised = 未分類の明細が { $lines }件あります: `{ $command }`
cli-report-transfers = 振替として集計から除いた明細: { $lines }件（入金 { $moved_in }・出金 { $moved_out }）`{ $command }`
cli-report-budget = { $monthly }（{ $pace }）
cli-report-pace = 残り { $left }・1日あたり { $per_day }
cli-report-left = 残り { $left }
cli-report-over = { $over } 超過

# kura export
cli-export-dates-reversed = --from { $from } が --to { $to } より後になっています
cli-export-journal-account = --journal-account は ID=名前 の形で指定してください（例: 2011-001-1-1234567=Assets:Bank:Futsu）。指定: { $got }
cli-export-month = --month は YYYY-MM の形で指定してください（例: 2026-10）。指定: { $got }
cli-export-xlsx-terminal = XLSX はバイナリ形式です。-o FILE.xlsx でファイルに書き出してください。
cli-export-exists = { $path } はすでにあります。置き換えるには --force を付けるか、-o で別のファイルを選んでください。
cli-export-failed = { $path } への書き出しに失敗しました。ファイルは作られていません。
cli-export-choose-folder = 存在していて書き込めるフォルダーを選んでください。
cli-export-monthly-failed = { $dir } への毎月の書き出しに失敗しました。ファイルは作られていません。
cli-export-done = { $accounts } 口座の { $rows } 件を書き出しました
cli-export-done-to = { $accounts } 口座の { $rows } 件を { $path } に書き出しました
cli-export-month-written = { $rows } 件を { $path } に書き出しました
cli-export-month-exists = { $path } はすでにあります。何もしません
cli-export-unmappable-todo = UTF-8 で書き出すか（--encoding cp932 を付けない）、--replace-unmappable を付けてその文字を 〓 に置き換えてください。

# kura serve
cli-serve-ready = Kura の準備ができました: { $url }
cli-serve-open-failed = ブラウザを開けませんでした（{ $reason }）。上のアドレスをご自分で開いてください。
cli-serve-hint = （このアドレスにはこのセッションの鍵が含まれます。Ctrl-C で Kura を終了します。）
cli-serve-listen-failed = 127.0.0.1:{ $port } で待ち受けできません。--port で別のポートを選んでください。
cli-serve-no-temp-folder = ブラウザへのダウンロード用の一時フォルダーを作れません。
cli-serve-stopped = Web サーバーがエラーで止まりました。
serve-foreign-host = Kura は 127.0.0.1 と localhost の自分のポートにだけ応答します。
serve-no-token = セッションの鍵がないか違います。`kura serve` が表示したアドレスを開いてください。
serve-download-gone = このダウンロード用のリンクは使用済みか期限切れです。Kura からもう一度書き出してください。
serve-download-unreadable = 書き出したファイルを読めませんでした。もう一度書き出してください。
cli-serve-monthly-written = 毎月の自動書き出し: { $rows } 件を { $path } に保存しました
cli-serve-monthly-failed = 注意: 毎月の自動書き出しに失敗しました: { $reason }

# kura sandbox
cli-sandbox-bad-faults = 障害のフラグの組み合わせが不正です。
cli-sandbox-no-start = サンドボックスを起動できません。
cli-sandbox-no-signal = Ctrl-C を受け取る準備ができません。
cli-sandbox-serving = Kura サンドボックス（連合会 Open API { $version } の模擬）: { $base }
cli-sandbox-ca = HTTPS の認証局証明書を { $path } に書き出しました。クライアントで明示的に信頼してください
cli-sandbox-today = 模擬の今日: { $today }（日本時間）
cli-sandbox-logins = デモ用ログイン（ユーザー名 / パスワード）:
cli-sandbox-accounts-everywhere = { $count } 組合すべてに口座
cli-sandbox-accounts-at = 口座のある組合: { $unions }
cli-sandbox-how = ログインのしかた:
cli-sandbox-how-open = `kura link` がブラウザで認可エンドポイントを開きます。例:
cli-sandbox-how-sign-in = demo/demo でログインし、共有する口座を選ぶと、Kura が 127.0.0.1 でトークンを受け取ります。
cli-sandbox-metadata = OAuth メタデータ: { $url }
cli-sandbox-metadata-path = 発行者 { $issuer }。OAuth メタデータは { $issuer }/.well-known/openid-configuration と { $issuer }/.well-known/oauth-authorization-server にだけあります
cli-sandbox-admin = 管理 API（このマシンからのみ）: { $base }/admin/faults、{ $base }/admin/clock、POST { $base }/admin/tokens
cli-sandbox-confidential = 電子決済等代行業者が Kura を配布する場合のコンフィデンシャルクライアント（client_secret_basic）:
cli-sandbox-client = クライアント ID { $id }、シークレット { $secret }、ループバックの任意のポートへリダイレクト。profiles.toml には:
cli-sandbox-client-then = 続いてアプリで 2011 を連携する（シークレットを尋ねられます）か、`kura link 2011 --client-secret-stdin` を実行します。
cli-sandbox-reserved = ID とシークレットに HTTP Basic で符号化が必要な文字を含むクライアントもあります: クライアント ID { $id }、シークレット { $secret }。
cli-sandbox-until-stopped = Ctrl-C で終了するまで提供します。

# kura household, kura link --member
cli-col-member = メンバー
cli-col-colour = 色
cli-col-links = 連携
cli-col-accounts = 口座
cli-col-share = 割合
cli-household-total = 世帯の合計: { $total }
cli-household-added = メンバー「{ $name }」を加えました。
cli-household-renamed = 「{ $old }」の名前を「{ $name }」にしました。
cli-household-recoloured = 「{ $name }」の色を { $colour } にしました。
cli-household-remove-confirm = メンバー「{ $name }」を外しますか？ 連携・口座・明細は消えず、別のメンバーに引き継がれます。
cli-household-remove-unasked = 「{ $name }」を外すには --yes を付けてください（連携は --to のメンバー、なければ最初のメンバーに引き継がれます）。
cli-household-remove-kept = 「{ $name }」はそのままです。
cli-household-removed = メンバー「{ $name }」を外し、その連携を「{ $heir }」に引き継ぎました。
cli-household-assigned = 連携 { $link } を「{ $name }」のものにしました。
cli-link-renewed = 連携 { $id }（{ $member }）の同意を更新しました。
cli-link-new = 連携 { $id } を「{ $member }」の連携として加えました。
cli-link-ask-member = { $union } はもう連携されています（{ $holders }）。これからログインするのはどなたですか？ 別の方なら、その方の連携として加えます。
cli-link-ask-member-prompt = 番号か名前（1–{ $count }）:{" "}
cli-link-ask-member-again = 1 から { $count } の番号か、メンバーの名前で答えてください。

# kura share
cli-share-none = この世帯はまだ共有していません。`kura share create フォルダー` で共有フォルダーを作るか、`kura share join フォルダー` で参加してください。
cli-share-folder = 共有フォルダー: { $folder }（このデスクトップ: { $name }）
cli-share-no-peers = ほかのデスクトップからはまだ何も届いていません。
cli-share-peer = { $name }: 最後に届いたのは { $at }。このデスクトップが取得する連携: { $links }
cli-share-problem = { $at } { $file }: { $problem }
cli-share-problem-not-kura = Kura のファイルではないので読み飛ばしました。
cli-share-problem-newer = 新しい Kura が書いたファイルです。Kura を更新すると読めます。
cli-share-problem-other-household = 別の世帯のファイルなので読み飛ばしました。
cli-share-problem-misplaced = 中身と置き場所が合わないので読み飛ばしました。
cli-share-problem-incomplete = まだ書き込み中か途中で切れています。届き次第、読み直します。
cli-share-problem-wrong-key = この世帯の鍵で開けません（別の鍵か、壊れています）。
cli-share-problem-unreadable = 開けましたが、中身を読めません。
cli-share-created = { $folder } を世帯の共有フォルダーにしました。ほかのデスクトップでは次のペアリングコードで参加します:
cli-share-created-next = フォルダーを Syncthing などで共有し、もう一台で `kura share join フォルダー コード` を実行してください。コードは `kura share code` でいつでも表示できます。
cli-share-joined = { $folder } の世帯に参加しました。
cli-share-code-prompt = ペアリングコード:{" "}
cli-share-written = このデスクトップの変更を記録しました（{ $seq } 番）。
cli-share-applied = ほかのデスクトップから { $segments } 件の記録を反映しました（明細 { $lines } 件、編集 { $edits } 件）。
cli-share-skipped = { $count } 件のファイルは読み飛ばしました。`kura share` で理由を確かめられます。
cli-share-leave-confirm = この世帯の共有から抜けますか？ このデスクトップのデータは残ります。
cli-share-leave-unasked = 共有から抜けるには --yes を付けてください（データは残ります）。
cli-share-left = 世帯の共有から抜けました。データはこのデスクトップに残っています。
