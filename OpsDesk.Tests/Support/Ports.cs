using System.Net;
using System.Net.Sockets;

namespace OpsDesk.Tests.Support;

/// <summary>Loopback ports for tests.</summary>
public static class Ports
{
    /// <summary>A port nothing listens on right now: free for a server to take, or "closed" for a client to fail against.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
