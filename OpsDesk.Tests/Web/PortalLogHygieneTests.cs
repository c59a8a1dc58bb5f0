using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

public sealed class PortalLogHygieneTests
{
    [Test]
    public async Task Raising_and_following_a_ticket_in_the_portal_logs_no_token_text_or_email_even_at_trace()
    {
        var recorder = new RecordingLoggerProvider();
        await using var factory = new ApiFactory(services: s => s.AddLogging(b => b
            .AddProvider(recorder)
            .SetMinimumLevel(LogLevel.Trace)
            .AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace)));
        var subject = "subj-" + Guid.NewGuid().ToString("N");
        var email = $"mail-{Guid.NewGuid():N}@example.com";
        using var browser = WebForms.Browser(factory);

        using var raised = await WebForms.SubmitAsync(browser, "/", "raise", ("Input.Subject", subject), ("Input.Description", "body " + subject), ("Input.Email", email));
        var html = await raised.Content.ReadAsStringAsync();
        var code = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "<code id=\"tracking-code\">([^<]+)</code>").Groups[1].Value);
        var token = code[(code.IndexOf(':', StringComparison.Ordinal) + 1)..];
        using var opened = await WebForms.SubmitAsync(browser, "/portal/track", "track", ("Track.Code", code));
        using var page = await browser.GetAsync("/portal/track");

        Assert.That(token, Does.StartWith("odt_"));
        Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain(subject));
        Assert.That(recorder.AllText, Does.Contain("/portal/track"), "the recorder saw the requests");
        Assert.Multiple(() =>
        {
            Assert.That(recorder.AllText, Does.Not.Contain(token), "the access token was logged");
            Assert.That(recorder.AllText, Does.Not.Contain(subject), "the subject was logged");
            Assert.That(recorder.AllText, Does.Not.Contain(email), "the email was logged");
        });
    }
}
