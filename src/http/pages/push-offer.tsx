/**
 * The «Получать уведомления» box under a funnel page whose funnel sends web push: hidden until the subscribe script
 * finds a browser that can push; the page token in it names the contact the subscription is stored for.
 */
export function PushOffer(props: { publicUrl: string; vapidKey: string; funnelId: string; pageId: string; token: string; nonce: string | undefined }) {
  const base = props.publicUrl.replace(/\/$/, '');
  return (
    <>
      <div
        id="af-push" hidden
        data-key={props.vapidKey} data-endpoint={`${base}/push/subscriptions`} data-worker={`${base}/push/sw.js`} data-scope={`${base}/push/`}
        data-funnel={props.funnelId} data-page={props.pageId} data-token={props.token}
        data-done="Готово: уведомления включены" data-failed="Не получилось включить уведомления. Попробуйте ещё раз."
      >
        <p class="muted">Присылать новости в браузер, даже когда страница закрыта?</p>
        <button type="button" class="button secondary block">Получать уведомления</button>
        <p class="muted" role="status" aria-live="polite"></p>
      </div>
      <script src={`${base}/push/subscribe.js`} nonce={props.nonce}></script>
    </>
  );
}
