using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OpsDesk.Tests.Support;

/// <summary>
/// A port that refuses connections until <see cref="Start"/>, then forwards them to a target: a
/// broker that is "down" and then comes back, without touching the broker itself. With the broker
/// advertising this port (<see cref="KafkaMockCluster.AdvertiseAt"/>) every client connection runs
/// through it, so <see cref="CutAll"/> breaks connections that are in use, and <see cref="Stop"/>
/// also refuses the reconnects until the next <see cref="Start"/>.
/// </summary>
public sealed class TcpForwarder(string targetHost, int targetPort) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<Pipe, byte> open = new();
    private readonly Lock gate = new();
    private TcpListener? listener;
    private long accepted;

    /// <summary>A loopback port nothing listens on (yet).</summary>
    public int Port { get; } = Ports.Free();

    /// <summary>Connections accepted since creation.</summary>
    public long Accepted => Interlocked.Read(ref accepted);

    /// <summary>Open connections that have carried traffic.</summary>
    public int LiveConnections => open.Keys.Count(p => p.Bytes > 0);

    /// <summary>Starts (or resumes) accepting connections.</summary>
    public void Start()
    {
        lock (gate)
        {
            if (listener is not null)
                return;
            var l = new TcpListener(IPAddress.Loopback, Port);
            l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            l.Start();
            listener = l;
            _ = AcceptAsync(l);
        }
    }

    /// <summary>Stops accepting (new connections are refused) and cuts the open ones.</summary>
    public int Stop()
    {
        lock (gate)
        {
            listener?.Stop();
            listener = null;
        }

        return CutAll();
    }

    /// <summary>
    /// Resets every open connection on both sides (RST, as a crashed peer or a dropped route would);
    /// returns how many had carried traffic, i.e. were live connections rather than idle ones.
    /// </summary>
    public int CutAll()
    {
        var live = 0;
        foreach (var pipe in open.Keys)
        {
            if (pipe.Bytes > 0)
                live++;
            pipe.Reset();
        }

        return live;
    }

    private async Task AcceptAsync(TcpListener l)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await l.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // Stopped (for now, or for good).
                return;
            }

            Interlocked.Increment(ref accepted);
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var target = new TcpClient();
        var pipe = new Pipe(client, target);
        open[pipe] = 0;
        try
        {
            await target.ConnectAsync(targetHost, targetPort, stop.Token);
            var a = client.GetStream();
            var b = target.GetStream();
            await Task.WhenAny(pipe.CopyAsync(a, b, stop.Token), pipe.CopyAsync(b, a, stop.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed side ends the pipe.
        }
        finally
        {
            open.TryRemove(pipe, out _);
            pipe.Reset();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        Stop();
        stop.Dispose();
    }

    private sealed class Pipe(TcpClient client, TcpClient target)
    {
        private long bytes;

        public long Bytes => Interlocked.Read(ref bytes);

        public async Task CopyAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await from.ReadAsync(buffer, ct)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
                Interlocked.Add(ref bytes, read);
            }
        }

        /// <summary>Closes both sockets with linger 0, which sends RST instead of an orderly FIN.</summary>
        public void Reset()
        {
            foreach (var side in new[] { client, target })
            {
                // A disposed TcpClient has no socket any more.
                if (side.Client is not { } socket)
                    continue;
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    // Already closed.
                }
            }
        }
    }
}
