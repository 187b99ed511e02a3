# エラー: 何が起きたか（id）と、どうすればよいか（id-do）。

## OAuth: 連携とアクセスの更新
oauth-access-denied = 組合の同意画面でアクセスが拒否されたため（「拒否する」を選んだか、組合が拒否しました）、何も連携していません。
oauth-access-denied-do = やり直すには、もう一度連携してください。
oauth-authorization = 組合の認可サーバーが要求を拒否しました（{ $error }）。何も連携していません。
oauth-state-mismatch = ブラウザから戻ってきた応答がこの連携の手続きのものではない（state が一致しない）ため、連携せずに中止しました。
oauth-state-mismatch-do = ご自分で始めた手続きでなければ、誰かが自分の口座をあなたの Kura に連携させようとしている可能性があります。もう一度連携してください。
oauth-issuer-mismatch = ログインの応答が { $expected } ではなく発行者 { $received } から届いたため、連携せずに中止しました（RFC 9207）。別のサーバーがこのログインに割り込もうとしている可能性があります。何も連携していません。
oauth-issuer-mismatch-do = もう一度連携してください。繰り返す場合は profiles.toml の `issuer` を確かめてください。
oauth-issuer-missing = { $expected } は応答に必ず発行者を示すはずですが、このログインの応答には発行者がなかったため、連携せずに中止しました（RFC 9207）。何も連携していません。
oauth-issuer-missing-do = もう一度連携してください。繰り返す場合は profiles.toml の `issuer` を確かめてください。
oauth-malformed-callback = ブラウザから Kura への戻りに、認可コードもエラーも含まれていませんでした。何も連携していません。
oauth-malformed-callback-do = もう一度連携してください。
oauth-timed-out-minutes = { $minutes } 分待ってもブラウザから応答がなかったため、待つのをやめました。
oauth-timed-out-minutes-do = もう一度連携し、開いたブラウザの画面でログインを最後まで済ませてください。
oauth-timed-out-seconds = { $seconds } 秒待ってもブラウザから応答がなかったため、待つのをやめました。
oauth-timed-out-seconds-do = もう一度連携し、開いたブラウザの画面でログインを最後まで済ませてください。
oauth-listen = ブラウザからの戻りを受け取るための 127.0.0.1 での待ち受けができません。
oauth-listen-do = ファイアウォールやセキュリティソフトがこのコンピューター内の接続を止めていないか確かめて、もう一度お試しください。
oauth-browser = `{ $command }` でブラウザを開けません: { $detail }。
oauth-browser-do = 表示されたアドレスをご自分でブラウザで開いてください。
oauth-invalid-grant = 組合がこの連携の認可をもう受け付けません（invalid_grant{ $words }）。期限が切れたか、取り消されました。
oauth-invalid-grant-do = もう一度連携してください。保存済みの明細は残ります。
oauth-token-endpoint = 組合のトークンエンドポイントが要求を拒否しました（{ $error }）。
oauth-client-refused = 組合がプロファイル `{ $profile }` のクライアント認証情報を拒否しました（{ $error }）。
oauth-client-refused-do = profiles.toml の `client_id` を確かめてください。組合はこのクライアントを知りません。
oauth-client-refused-secret = 組合がプロファイル `{ $profile }` のクライアント認証情報を拒否しました（{ $error }）。
oauth-client-refused-secret-do = profiles.toml の `client_id` を確かめ、代行業者が発行したクライアントシークレットをもう一度入力してください（`kura link <組合コード> --client-secret-stdin`、またはアプリの連携画面で）。
oauth-network = 組合の認可サーバーに接続できません。
oauth-network-do = ネットワーク接続を確かめて、もう一度お試しください。
oauth-protocol = 組合の認可サーバーから Kura が理解できない応答が届きました（{ $detail }）。
oauth-discovery = 発行者 { $issuer } の認可サーバーのメタデータが見つかりません。次の順に試しました: { $tried }。
oauth-discovery-do = profiles.toml の `issuer` を確かめてください。組合のサーバーが名乗る発行者 ID と完全に同じ文字列でなければなりません（RFC 8414）。または `authorization_endpoint` と `token_endpoint` を指定してください。
oauth-discovery-not-metadata = 認可サーバーのメタデータではありません: { $detail }
oauth-discovery-other-issuer = 別の発行者 { $issuer } を名乗っています
oauth-unusable-metadata = { $url } の認可サーバーのメタデータは使えません: { $detail }。
oauth-missing-secret = プロファイル `{ $profile }` はコンフィデンシャルクライアントですが、クライアントシークレットが OS の資格情報ストアにありません。
oauth-missing-secret-do = 代行業者が発行したシークレットを、アプリの連携画面か `kura link <組合コード> --client-secret-stdin`（標準入力から読み取ります）で入力してください。
oauth-not-confidential = プロファイル `{ $profile }` はパブリッククライアント（profiles.toml に `confidential = true` がない）なので、入力するクライアントシークレットはありません。
oauth-empty-secret = クライアントシークレットが空です。
oauth-empty-secret-do = 代行業者が発行したシークレットを貼り付けてください。
oauth-no-refresh-token = この組合は更新用のトークンを発行しないため、アクセストークンの期限とともにアクセスが終わりました。
oauth-no-refresh-token-do = 続けるにはもう一度連携してください。保存済みの明細は残ります。

## プロファイル（profiles.toml）
profile-unknown-union = { $code } は Open API を提供する95の信用組合のいずれでもありません。
profile-unknown-union-do = 4桁の金融機関コードを確かめてください。
profile-read = { $path } を読めません: { $reason }。
profile-parse = { $path } はプロファイルのファイルとして正しくありません: { $message }
profile-parse-do = README の profiles.toml の例のとおりに直してください。
profile-invalid = プロファイル `{ $profile }`: { $problem }。
profile-invalid-do = README の profiles.toml の書き方を確かめてください。
profile-insecure = { $what } { $url } が https ではありません。Kura が平文の http で通信するのはこのコンピューター（127.0.0.1、::1、localhost）だけです。
profile-insecure-do = https のアドレスを使ってください。
profile-missing = プロファイル `{ $name }` が設定されていません（profiles.toml から削除された可能性があります）。
profile-missing-do = profiles.toml に戻すか、もう一度連携してください。
profile-problem-reserved = `sandbox` という名前は組み込みのサンドボックス用です
profile-problem-bank-twice = 組合 { $bank } はプロファイル `{ $other }` でも扱われています。1つの組合には1つのプロファイルが必要です
profile-problem-no-banks = `banks` に組合がありません
profile-problem-unknown-bank = { $bank } は Open API の95組合のいずれでもありません
profile-problem-issuer-query = `issuer` = { $issuer } にクエリやフラグメントを含めることはできません
profile-problem-half-configured = `issuer`（RFC 8414 のディスカバリー）か、`authorization_endpoint` と `token_endpoint` の両方を指定してください
profile-problem-empty-client-id = `client_id` が空です
profile-problem-bad-scopes = `scopes` にはスペースを含まないスコープ名を並べてください
profile-problem-not-a-url = `{ $key }` = { $value } は URL ではありません: { $detail }

## OS の資格情報ストア
secrets-unavailable = OS の資格情報ストア（Secret Service/gnome-keyring、キーチェーン、資格情報マネージャー）が使えません。Kura はトークンを平文では保存しません。
secrets-unavailable-do = キーリングを起動して、もう一度お試しください。
secrets-locked = OS の資格情報ストアが Kura の項目 `{ $entry }` へのアクセスを拒否しました。
secrets-locked-do = キーリングのロックを解除して、もう一度お試しください。
secrets-store = OS の資格情報ストアが Kura の項目 `{ $entry }` の処理に失敗しました。
secrets-store-do = もう一度お試しください。繰り返す場合はキーリングを再起動してください。
secrets-corrupt = OS の資格情報ストアにある Kura の項目 `{ $entry }` が壊れています。
secrets-corrupt-do = この組合の連携を解除して、もう一度連携してください。
secrets-namespace = Kura のキーリング用の名前空間ファイル { $path } を用意できません。
secrets-namespace-do = Kura のデータフォルダーに書き込めるか確かめてください。

## 組合の Open API
token-reauth = 組合がこの連携の同意をもう受け付けません（{ $detail }）。もう一度連携してください。
token-unavailable = アクセストークンを取得できませんでした（{ $detail }）。
token-client = アクセストークンを取得できませんでした: { $detail }
token-unreachable = アクセストークンを更新するための組合の認可サーバーに接続できませんでした。
token-unreachable-do = ネットワーク接続を確かめてください。次の同期でもう一度試します。
api-retry-after = （{ $seconds } 秒後に再試行）
api-no-message = エラーメッセージなし
api-no-version = （なし: X-API-Version ヘッダーがありません）
api-insecure-url = API のアドレス { $url } は使いません: 平文の http:// はこのコンピューター（127.0.0.1、::1、localhost）でだけ使えます。
api-insecure-url-do = プロファイルの API のアドレスに https:// を使ってください。
api-invalid-url = API のアドレス { $url } は使えません: { $detail }。
api-tls = HTTPS の接続を準備できません。
api-network = { $url } に接続できませんでした。
api-network-do = ネットワーク接続を確かめてください。次の同期でもう一度試します。
api-timeout = { $url } が時間内に応答しませんでした（組合のサーバーが混んでいる可能性があります）。
api-timeout-do = 次の同期でもう一度試します。
api-http = { $url } が HTTP { $status }{ $code } を返しました: { $message }。
api-rate-limited = 組合が要求の数を制限しています（HTTP 429）{ $wait }。
api-rate-limited-do = 時間をおいてもう一度試します。
api-maintenance = 組合の API はメンテナンス中です{ $wait }{ $message }。
api-maintenance-do = メンテナンスが終わったらもう一度試します。
api-unauthorized = 組合がアクセストークン（{ $code }）を、更新したあとも受け付けませんでした。もう一度連携してください。
api-incompatible-version = { $url } の API のバージョンは { $found } ですが、Kura が扱えるのは 1.x だけです。
api-incompatible-version-do = Kura を更新するか、プロファイルの API のアドレスを確かめてください。
api-malformed = 組合から不正な応答が届きました: { $url }（{ $field }: { $detail }）。
api-malformed-do = 次の同期でもう一度試します。繰り返す場合は詳細を添えて報告してください。
api-too-large = { $url } からの応答が { $limit } バイトを超えているため、読み込みませんでした。
api-paging = { $url } のページ送りがうまくいきませんでした: { $detail }。
api-paging-do = 組合の API が正しく動いていません。時間をおいてもう一度お試しください。

## ローカルのデータベース
store-no-data-dir = このシステムでデータフォルダーの場所が見つかりません。
store-no-data-dir-do = --data-dir を付けるか、KURA_DATA_DIR を設定してください。
store-create-dir = データフォルダー { $path } を作れません。
store-create-dir-do = --data-dir で別のフォルダーを指定してください。
store-permission-denied = { $path } を開けません: アクセスが拒否されました。
store-permission-denied-do = ファイルとそのフォルダーの所有者があなたか確かめてください。
store-open = { $path } を開けません。
store-not-a-database = { $path } は Kura のデータベースではないか、壊れています。
store-not-a-database-do = 別の場所に移してから同期し直すか、バックアップから戻してください。
store-busy = { $path } のデータベースは別のプログラムが使っています。
store-busy-do = ほかの Kura のウィンドウを閉じて、もう一度お試しください。
store-newer-schema = { $path } のデータベースは新しい Kura で書かれています（スキーマ { $found }。この Kura が扱えるのは { $supported } まで）。
store-newer-schema-do = Kura を更新してください。
store-migration = { $path } のデータベースのスキーマを更新できません。
store-permissions = { $path } をあなただけが読めるように設定できません。
store-unknown-link = 連携 { $id } はありません。
store-unknown-link-do = `kura links` で連携の一覧を確かめてください。
store-unknown-account = ID が { $id } の口座はありません。
store-unknown-account-do = `kura accounts` で ID を確かめてください。
store-unknown-sync-run = 同期の記録 { $id } はありません。
store-unknown-value = データベースにこの Kura が理解できない値があります（{ $value }）。
store-unknown-value-do = Kura を更新してください。
store-day-reopened = 口座 { $account } の { $date } の明細が、別の日の明細のあとに届きました。
store-day-reopened-do = もう一度同期してください。次はすべての日を分けて読み込みます。
store-invalid-cursor = ページのカーソル { $cursor } は正しくありません。
store-invalid-cursor-do = 最初のページからやり直してください。
store-sqlite = ローカルのデータベースでエラーが起きました。

## 書き出し
export-io = 書き出せませんでした（{ $reason }）。
export-unmappable = { $row } 行目（{ $date }、口座 { $account }）: { $field }に Shift_JIS（CP932）で表せない文字 { $ch }（{ $code }）があります。
export-unmappable-do = CSV（UTF-8）で書き出すか、「Shift_JIS で表せない文字を置き換える」を選んでその文字を 〓 に置き換えてください。
export-field = { $field ->
        [remarks] 摘要
        [category] カテゴリ名
        [memo] メモ
        [account] 振替の口座名
       *[other] 口座情報
    }
export-bad-replacement = 置き換える文字 { $ch } 自体を Shift_JIS（CP932）で書けません。
export-bad-replacement-do = '?' か '〓' を使ってください。
export-xlsx = XLSX のブックを書き出せませんでした。
export-amount-too-large = { $row } 行目（{ $date }、口座 { $account }）: ¥{ $amount } は表計算ソフトの数値で正確に表せる範囲（±2^53）を超えています。
export-amount-too-large-do = CSV で書き出してください。
export-sheet-full = { $sheet } の XLSX シートが Excel の上限 1,048,576 行を超えます。
export-sheet-full-do = 口座ごとのシート、短い期間、または CSV で書き出してください。
export-invalid-account-name = { $name } は { $tool } の勘定科目名として使えません: { $why }。
export-name-rule = { $rule ->
        [empty-component] 空の階層があります（親:子 の形で書いてください）
        [bad-characters] タブ、改行、';'、または連続した2つの空白が含まれています
        [beancount-root] Assets、Liabilities、Equity、Income、Expenses のいずれかで始めてください
        [beancount-start] 各階層は大文字、数字、または ASCII 以外の文字で始めてください
        [beancount-ascii] beancount では Kura は勘定科目名を ASCII で書きます（各階層は大文字か数字で始め、英字・数字・'-' だけを使います）
       *[beancount-chars] 各階層に使えるのは文字、数字、'-' だけです
    }
export-category-account-name = カテゴリ { $category } の勘定科目 { $name } は { $tool } の勘定科目名として使えません: { $why }。
export-category-account-name-do = { $tool } で使える勘定科目名をカテゴリに設定してください（例: `kura categories account { $category } Expenses:Food:Dining-Out`）。または別の形式で書き出してください。
export-out-of-order = 内部エラー: 口座 { $account } の { $date } の明細が順番どおりに届きませんでした。
export-out-of-order-do = 詳細を添えて報告してください。明細は口座ごと・日付順に届く必要があります。
export-unknown-account = 口座 { $id } は Kura のデータベースにありません。
export-unknown-account-do = `kura accounts` で口座の ID を確かめてください。
export-store = 書き出す明細をデータベースから読めませんでした。
export-json = JSON の行を書き出せませんでした。

## データフォルダーの移動
move-not-absolute = 新しいデータフォルダーは完全なパス（/home/you/Documents/Kura など）で指定してください。指定: { $path }
move-same = { $path } はすでにデータフォルダーです。
move-nested = { $to } とデータフォルダー { $from } の一方がもう一方の中にあります。
move-nested-do = 別の場所のフォルダーを選んでください。
move-not-empty = { $path } は空ではありません。中のものを上書きしないよう、空のフォルダーか新しいフォルダーを選んでください。
move-explicit = Kura はデータフォルダーを指定して起動されているため（--data-dir または KURA_DATA_DIR）、移動できません。
move-explicit-do = フォルダーをご自分で移動し、新しいパスを指定して Kura を起動してください。
move-no-config-dir = 新しいデータフォルダーを記録する設定フォルダーが見つかりません。
move-no-config-dir-do = KURA_CONFIG_DIR を設定してください。
move-io = データを { $path } に移動できません（{ $reason }）。データは元の場所のままです。
move-copy = データベースを { $path } にコピーできません（{ $reason }）。データは元の場所のままです。
move-mismatch = { $path } にコピーしたデータベースが元と一致しません（{ $detail }）。データは元の場所のままです。

## 連携
link-union = { $name }（{ $code }）
link-withdrawn = 新しいログインは組合に取り消しを伝えました
link-not-withdrawn = 新しいログインは保存していません（組合に伝えられなかったため、期限で自然に切れます）
link-accounts = 組合はログインを受け付けましたが、口座の一覧を返しませんでした（{ $reason }）。何も連携せず、ログインは取り消しました。
link-accounts-do = もう一度連携してください。繰り返す場合は組合のサービスの問題です。
link-wrong-union = 組合の認可サーバーが、{ $requested } ではなく組合 { $granted } へのアクセスを許可しました。何も連携せず、ログインは取り消しました。
link-secret-refused = { $refused }何も連携していません。{ $kept }。
link-kept-previous = 以前に保存したシークレットはそのままです
link-kept-none = 入力されたシークレットは保存していません
link-unchecked = { $union } でのこのログインの口座を一覧できなかったため（{ $reason }）、連携 { $link } の本人のログインか確かめられません。連携 { $link } はそのまま残し、{ $withdrawn }。
link-unchecked-do = 組合が応答するようになってから、もう一度連携してください。

## 同期
sync-store = ローカルのデータベースに書き込めません（{ $reason }）。
sync-store-do = ディスクの空きを確かめて、もう一度お試しください。それまでに保存した内容は変わっていません。
sync-inactive = 連携 { $id } は{ $status ->
        [active] 有効
        [reauth_required] 再認証が必要
       *[other] 解除済み
    }です。同期する前にもう一度連携してください。

## アプリへの要求
command-unknown = この版の Kura には `{ $name }` というコマンドはありません。
command-bad-request = `{ $command }` への要求の形が正しくありません。
command-settings-io = 設定を { $path } に保存できません。
command-settings-io-do = Kura のデータフォルダーに書き込めるか確かめてください。
request-dates-reversed = 開始日 { $from } が終了日 { $to } より後です。
request-amounts-reversed = 最小の金額 { $min } が最大の金額 { $max } を上回っています。
request-unknown-attempt = 連携の手続き { $id } はありません。
request-unknown-attempt-do = もう一度連携を始めてください。
request-not-syncing = この Kura のプロセスでは同期が動いていません。
request-not-syncing-do = `kura serve` かデスクトップアプリで起動するか、`kura sync` を実行してください。
request-poll-interval = 同期の間隔は { $min } 分から { $max } 時間の間で指定してください。
request-no-home-folder = ホームフォルダーが見つかりません。
request-no-home-folder-do = 書き出す場所を選んでください。
monthly-no-folder = 毎月の自動書き出しの保存先フォルダーを選んでください。
monthly-relative = 毎月の自動書き出しの保存先は完全なパス（{ $example } など）で指定してください。指定: { $folder }
monthly-folder-gone = 毎月の自動書き出しの保存先フォルダー { $folder } がありません。
monthly-folder-gone-do = フォルダーを作る（またはドライブをつなぎ直す）か、「設定」で別のフォルダーを選んでください。
monthly-folder-unreadable = 毎月の自動書き出しの保存先フォルダー { $folder } を開けません: { $reason }。
monthly-not-a-folder = { $folder } はフォルダーではなくファイルです。
monthly-not-a-folder-do = 毎月の自動書き出しにはフォルダーを選んでください。
monthly-unwritable = 毎月の自動書き出しの保存先フォルダー { $folder } に書き込めません: { $reason }。
monthly-unwritable-do = 書き込めるフォルダーを選んでください。
monthly-shift-jis-not-csv = Shift_JIS は CSV 形式（CSV、マネーフォワード ME、Zaim）にだけ使えます。毎月の自動書き出しの形式は { $format } です。
hint-network = 保存済みのデータを表示しています。組合に接続できるようになると、また同期します。
hint-reauth = 「連携」を開いて「再認証」を選んでください。保存済みの明細は残ります。
hint-keyring = Kura はトークンを OS の資格情報ストア（Secret Service、キーチェーン、資格情報マネージャー）にだけ保存します。ロックを解除するかインストールして、もう一度お試しください。
hint-builds = Kura を再起動してください。続く場合は、画面と本体の版が食い違っています。
request-month = 「{ $month }」は月として読めません。
request-month-do = 2026-11 のように年-月で書いてください。
link-fetched-elsewhere = 連携 { $link } は世帯のほかのデスクトップが取得しています（トークンはそちらにあります）。
link-fetched-elsewhere-do = 連携の解除や更新は、そのデスクトップで行ってください。
