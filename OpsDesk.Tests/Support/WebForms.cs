using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OpsDesk.Tests.Support;

/// <summary>
/// A browser-like HTTP client for the console and portal pages (cookies kept, redirects not
/// followed, no API key), and the reading of a rendered form's hidden fields so a test can post it
/// as a browser would.
/// </summary>
public static partial class WebForms
{
    public static HttpClient Browser(ApiFactory factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>The hidden fields (antiforgery token, form handler, idempotency key) of the form named <paramref name="formName"/>.</summary>
    public static Dictionary<string, string> HiddenFields(string html, string formName)
    {
        var forms = Form().Matches(html).Select(m => m.Value).Where(f => f.Contains($"name=\"_handler\" value=\"{formName}\"", StringComparison.Ordinal)).ToList();
        Assert.That(forms, Has.Count.EqualTo(1), $"one form named {formName} on the page");
        return Hidden().Matches(forms[0]).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
    }

    /// <summary>The hidden fields of the one form that posts to <paramref name="action"/>.</summary>
    public static Dictionary<string, string> HiddenFieldsOfAction(string html, string action)
    {
        var forms = Form().Matches(html).Select(m => m.Value).Where(f => f.Contains($"action=\"{action}", StringComparison.Ordinal)).ToList();
        Assert.That(forms, Has.Count.EqualTo(1), $"one form posting to {action} on the page");
        return Hidden().Matches(forms[0]).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
    }

    /// <summary>GETs <paramref name="path"/>, fills its form <paramref name="formName"/> and POSTs it back.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, string formName, params (string Name, string Value)[] fields)
    {
        using var page = await client.GetAsync(path);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        var values = HiddenFields(await page.Content.ReadAsStringAsync(), formName);
        foreach (var (name, value) in fields)
            values[name] = value;
        return await client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    /// <summary>Signs <paramref name="client"/> in at <paramref name="signInPath"/> with <paramref name="key"/>; asserts the redirect.</summary>
    public static async Task SignInAsync(HttpClient client, string key, string signInPath = "/console/sign-in")
    {
        using var response = await SubmitAsync(client, signInPath, "sign-in", ("Input.Key", key));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("<input[^>]*?type=\"hidden\"[^>]*?name=\"(?<name>[^\"]+)\"[^>]*?value=\"(?<value>[^\"]*)\"|<input[^>]*?name=\"(?<name>[^\"]+)\"[^>]*?type=\"hidden\"[^>]*?value=\"(?<value>[^\"]*)\"|<input[^>]*?type=\"hidden\"[^>]*?value=\"(?<value>[^\"]*)\"[^>]*?name=\"(?<name>[^\"]+)\"")]
    private static partial Regex Hidden();
}
