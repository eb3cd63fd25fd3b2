import {
  isAllowedFileUrl,
  reportFilesOf,
  TEAMS_FILE_DOWNLOAD_INFO,
} from '../src/conversation/reportAttachments';

describe('report attachments: which files, from which hosts', () => {
  it('takes a Teams file by its downloadUrl, an upload by its contentUrl; not cards, not the Teams text/html copy', () => {
    expect(
      reportFilesOf({
        attachments: [
          { contentType: 'text/html', content: '<p>hello</p>' },
          { contentType: 'application/vnd.microsoft.card.adaptive', content: {} },
          {
            contentType: TEAMS_FILE_DOWNLOAD_INFO,
            name: 'errors.csv',
            content: {
              downloadUrl: 'https://contoso-my.sharepoint.com/personal/x/download.aspx?tempauth=t',
              fileType: 'csv',
            },
          },
          {
            contentType: 'text/plain',
            name: 'report.txt',
            contentUrl: 'http://localhost:5000/v3/attachments/1',
          },
        ],
      }),
    ).toEqual([
      {
        name: 'errors.csv',
        contentType: '',
        url: 'https://contoso-my.sharepoint.com/personal/x/download.aspx?tempauth=t',
      },
      { name: 'report.txt', contentType: 'text/plain', url: 'http://localhost:5000/v3/attachments/1' },
    ]);
  });

  it.each([
    // channel, serviceUrl, file URL, allowed
    ['emulator', 'http://localhost:5000', 'http://localhost:5000/v3/attachments/1', true],
    ['emulator', 'http://localhost:5000', 'http://localhost:5001/v3/attachments/1', false],
    ['emulator', 'http://10.0.0.5:5000', 'http://10.0.0.5:5000/v3/attachments/1', false],
    ['emulator', 'http://169.254.169.254', 'http://169.254.169.254/latest/meta-data', false],
    [
      'msteams',
      'https://smba.trafficmanager.net/emea/',
      'https://contoso-my.sharepoint.com/personal/a/download.aspx',
      true,
    ],
    ['msteams', 'https://smba.trafficmanager.net/emea/', 'https://sharepoint.com.evil.example/x', false],
    ['msteams', 'https://smba.trafficmanager.net/emea/', 'http://contoso.sharepoint.com/x', false],
    ['webchat', 'https://webchat.botframework.com/', 'https://webchat.botframework.com/attachments/x', true],
    [
      'directline',
      'https://directline.botframework.com/',
      'https://user:pw@directline.botframework.com/x',
      false,
    ],
    ['directline', 'https://directline.botframework.com/', 'https://127.0.0.1/x', false],
    ['webchat', 'https://webchat.botframework.com/', 'data:text/plain;base64,SGVsbG8=', true],
    ['webchat', 'https://webchat.botframework.com/', 'file:///etc/passwd', false],
  ])('%s (serviceUrl %s): %s → %s', (channelId, serviceUrl, url, allowed) => {
    expect(isAllowedFileUrl(url, { channelId, serviceUrl })).toBe(allowed);
  });

  it('REPORT_DOWNLOAD_HOSTS adds hosts: a name, or a domain with a leading dot', () => {
    const activity = { channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/emea/' };
    expect(isAllowedFileUrl('https://files.contoso.de/r.csv', activity)).toBe(false);
    expect(isAllowedFileUrl('https://files.contoso.de/r.csv', activity, ['files.contoso.de'])).toBe(true);
    expect(isAllowedFileUrl('https://contoso.sharepoint.de/r.csv', activity, ['.sharepoint.de'])).toBe(true);
  });
});
