// The intranet page: picks the browser's language, gets a token from the bot, renders Web Chat.
(async function main() {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const config = await (await fetch('/webchat/config.json', { cache: 'no-store' })).json();
  const wanted = (
    navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']
  ).map((l) => String(l).toLowerCase().split('-')[0]);
  const language = wanted.find((l) => config.strings[l]) || config.defaultLanguage;
  const t = (key) =>
    (config.strings[language] || {})[key] || config.strings[config.defaultLanguage][key] || '';

  document.documentElement.lang = language;
  const title = config.companyName ? `${t('webchat.title')} · ${config.companyName}` : t('webchat.title');
  $('title').textContent = title;
  document.title = title;
  $('intro').textContent = t('webchat.intro');
  $('status').textContent = t('webchat.connecting');
  if (config.mode === 'local') {
    $('notice').textContent = t('webchat.localMode');
    $('notice').hidden = false;
  }

  // A random id per browser tab: never a real identity.
  let userId = sessionStorage.getItem('dsa.userId');
  if (!userId) {
    userId = `web-${crypto.randomUUID()}`;
    sessionStorage.setItem('dsa.userId', userId);
  }
  const locale = navigator.language || 'en-US';
  const response = await fetch('/api/directline/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, locale }),
  });
  if (!response.ok) {
    $('status').textContent = t('webchat.unavailable');
    return;
  }
  const session = await response.json();
  const domain = session.domain.startsWith('/') ? `${location.origin}${session.domain}` : session.domain;
  const directLine = window.WebChat.createDirectLine({
    token: session.token,
    domain,
    webSocket: session.webSocket,
  });
  window.WebChat.renderWebChat(
    {
      directLine,
      userID: session.userId,
      locale,
      // Web Chat's own Dutch says "Typ uw bericht": the page's wording and register instead.
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: t('webchat.placeholder') },
      styleOptions: {
        accent: '#0f5ca8',
        bubbleBorderRadius: 8,
        bubbleFromUserBackground: '#e6f0fa',
        bubbleFromUserBorderRadius: 8,
        botAvatarInitials: 'DS',
        hideUploadButton: true,
        sendBoxButtonColor: '#0f5ca8',
        // A multi-line send box, so that a pasted sync error report keeps its lines (Enter still sends).
        sendBoxTextWrap: true,
      },
    },
    $('webchat'),
  );
})().catch((error) => {
  const status = document.getElementById('status');
  if (status) status.textContent = `Error: ${error && error.message ? error.message : error}`;
});
