using System.Net;
using System.Text.RegularExpressions;

namespace OpsDesk.Bench.Http;

/// <summary>
/// Signs in to the agent console as a browser does (GET the sign-in form, POST it back with its
/// antiforgery token and the key) and returns the session cookie, so that a load run measures the
/// pages a signed-in agent sees.
/// </summary>
public static partial class ConsoleSession
{
    public const string SignInPath = "/console/sign-in";
    public const string CookieName = "opsdesk_session";

    /// <summary>The <c>Cookie</c> header value of a fresh console session for <paramref name="key"/>.</summary>
    public static async Task<string> SignInAsync(HttpClient http, string key, CancellationToken ct)
    {
        using var page = await http.GetAsync(SignInPath, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        if (page.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {SignInPath} answered {(int)page.StatusCode}; is the API behind HTTPS (or given X-Forwarded-Proto: https with forwarded headers on)?");
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Hidden().Matches(html))
            form[WebUtility.HtmlDecode(m.Groups["name"].Value)] = WebUtility.HtmlDecode(m.Groups["value"].Value);
        if (!form.ContainsKey("__RequestVerificationToken"))
            throw new InvalidOperationException($"GET {SignInPath} rendered no antiforgery token.");
        form["Input.Key"] = key;

        using var post = new HttpRequestMessage(HttpMethod.Post, SignInPath) { Content = new FormUrlEncodedContent(form) };
        post.Headers.TryAddWithoutValidation("Cookie", Cookies(page));
        using var answer = await http.SendAsync(post, ct);
        var session = Cookies(answer);
        if (answer.StatusCode != HttpStatusCode.Redirect || !session.Contains(CookieName, StringComparison.Ordinal))
            throw new InvalidOperationException($"console sign-in failed ({(int)answer.StatusCode}): the key must be an active agent or admin key.");
        return session;
    }

    /// <summary>The name=value pairs a response sets, as one <c>Cookie</c> header.</summary>
    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';', 2)[0]).Where(v => !v.EndsWith('=')) : []);

    [GeneratedRegex("<input[^>]*?type=\"hidden\"[^>]*?name=\"(?<name>[^\"]+)\"[^>]*?value=\"(?<value>[^\"]*)\"|<input[^>]*?name=\"(?<name>[^\"]+)\"[^>]*?type=\"hidden\"[^>]*?value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Hidden();
}
