namespace OpsDesk.Api.Web;

/// <summary>The browser's cookie scheme and the policies of the console and the portal pages.</summary>
public static class WebAuth
{
    /// <summary>Cookie issued by the sign-in pages after an API key was checked.</summary>
    public const string Scheme = "Web";
    public const string CookieName = "opsdesk_session";

    /// <summary>Agents and admins, signed in through the cookie.</summary>
    public const string Console = "console";

    /// <summary>Admins, signed in through the cookie.</summary>
    public const string ConsoleAdmin = "console-admin";

    /// <summary>Anyone signed in through the cookie (a requester's "my tickets").</summary>
    public const string Portal = "portal";

    public const string ConsoleSignIn = "/console/sign-in";
    public const string PortalSignIn = "/portal/sign-in";
}
