using System;
using System.Security.Cryptography;
using System.Text;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>
/// The Lua scripts: one per store operation, each mirroring its <see cref="StoreDecisions"/> method and the rules on
/// the records (<see cref="Sessions.Session.Classify"/>, <see cref="Sessions.Session.Touch"/>,
/// <see cref="SessionLimit.TrySelectEvictions"/>, <see cref="RefreshFamily.Classify"/>, <see cref="RefreshFamily.Rotate"/>,
/// <see cref="RefreshFamily.Revoke"/>, <see cref="UserSecurityState.WithDevice"/>). Each runs atomically on the server
/// and costs one round trip (EVALSHA; EVAL once after the server lost its script cache).
/// </summary>
/// <remarks>
/// <para>
/// Every script receives the same header (built by <c>RedisSessionStore.Header</c>): <c>ARGV[1]</c> the key prefix,
/// <c>ARGV[2]</c> the route (empty: the script reads the pointer key <c>KEYS[1]</c> itself, single server; otherwise the
/// resolved user hash, or user hash plus family id), <c>ARGV[3]</c> the global revocation instant (<c>?</c>: the script
/// reads it; empty: none; otherwise its ticks), <c>ARGV[4..9]</c> the current time and the thresholds derived from it and
/// the rules, <c>ARGV[10]</c> the expiry grace in milliseconds, <c>ARGV[11]</c> <c>1</c> when the script reads and writes
/// pointer keys itself (single server). Operation arguments start at <c>ARGV[12]</c>.
/// </para>
/// <para>
/// Times are UTC ticks written as 19 decimal digits, so string comparison orders them exactly (Lua numbers are doubles
/// and cannot hold ticks); every comparison the rules make against a sum or difference of the current time is made
/// against a threshold the caller computed exactly in .NET (<c>CreatedAt + AbsoluteLifetime &lt;= now</c> is
/// <c>CreatedAt &lt;= now - AbsoluteLifetime</c>). An empty threshold lies before every time. The first 15 digits are
/// whole milliseconds, exact in a double; they serve only as sorted-set scores and for expiry arithmetic. Versions,
/// generations and epochs are counters far below 2^53, so Lua adds to them exactly.
/// </para>
/// <para>
/// Redis runs a script to completion and has no rollback: every script makes all of its refusals (a duplicate
/// identifier included, through <c>SET NX</c> on the pointer key, which is also the insert's first write) before it
/// writes anything else. Scripts return the records as they read them, with what they decided, and the store rebuilds
/// the records as written with the same pure methods the scripts mirror; a rotation returns the family as written, so
/// that the client never rebuilds the spent list.
/// </para>
/// </remarks>
internal static class RedisScripts
{
    /// <summary>The fields of a family hash, in the order the scripts read and return them (<c>FF</c> in the scripts).</summary>
    public static readonly string[] FamilyFields = ["fid", "sid", "uid", "cid", "kt", "ca", "ae", "g", "cur", "cia", "cie", "sl", "prev", "rat", "sp", "ra", "rr", "v"];

    /// <summary>The header and what nearly every script uses: keys, expiries, routing, reading and judging a session.</summary>
    private const string Base = """
        local P, ROUTE, FLOOR = ARGV[1], ARGV[2], ARGV[3]
        local NOW, LATE, ABSF, IDLEF, RENEWF, IDLEN = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
        local GRACE, HERE = tonumber(ARGV[10]), ARGV[11] == '1'
        local HL, TL, SPENT = 22, 43, 64
        local function uk(h, s) return P .. '{u:' .. h .. '}:' .. s end
        local function ms(t) return tonumber(string.sub(t, 1, 15)) end
        local function ttl(purge)
          local d = ms(purge) - ms(NOW)
          if d < 0 then d = 0 end
          return d + GRACE
        end
        local function inc(n) return string.format('%d', tonumber(n) + 1) end
        -- Invalidations (SessionInvalidation wire form), published in the step that makes the change; in Cluster on the
        -- slot channel the store passes as the last key.
        local function announce(m)
          if HERE then redis.call('PUBLISH', P .. 'inv', '1|' .. m) else redis.call('SPUBLISH', KEYS[#KEYS], '1|' .. m) end
        end
        local function route()
          if ROUTE ~= '' then return ROUTE end
          return redis.call('GET', KEYS[1])
        end
        local function floor()
          if FLOOR == '?' then return redis.call('GET', P .. 'rb') end
          if FLOOR == '' then return false end
          return FLOOR
        end
        local function fields(flat)
          local r = {}
          for i = 1, #flat, 2 do r[flat[i]] = flat[i + 1] end
          return r
        end
        local function session(h, sid)
          local flat = redis.call('HGETALL', uk(h, 's:' .. sid))
          if #flat == 0 then return false, flat end
          return fields(flat), flat
        end
        local function epoch(h) return redis.call('HGET', uk(h, 'sec'), 'ep') or '0' end
        -- Session.Classify: 5 Revoked, 7 ClockSkew, 4 ExpiredAbsolute, 3 ExpiredIdle, 0 Valid.
        local function classify(s, ep, fl)
          if s.ra or tonumber(s.ep) < tonumber(ep) or (fl and s.ca <= fl) then return 5 end
          if s.ca > LATE or s.ls > LATE or s.aa > LATE then return 7 end
          if NOW >= s.ae or s.ca <= ABSF then return 4 end
          if NOW >= s.ie or s.ls <= IDLEF then return 3 end
          return 0
        end

        """;

    /// <summary>Session.Touch: writes only when the renewal interval has passed.</summary>
    private const string Touch = """
        local function touch(h, sid, s)
          if s.ls > RENEWF then return end
          local ie = IDLEN
          if s.ae < ie then ie = s.ae end
          local sk = uk(h, 's:' .. sid)
          redis.call('HSET', sk, 'ls', NOW, 'ie', ie, 'v', inc(s.v))
          redis.call('PEXPIRE', sk, ttl(ie))
          redis.call('ZADD', uk(h, 'ss'), ms(ie), sid)
        end

        """;

    /// <summary>
    /// RefreshFamily.Revoke (first reason wins; the sealed successor goes at once), and Session.Revoke with every family of
    /// the session (StoreDecisions.RevokeCascade). A revoked session is kept until its absolute expiry, in the index of
    /// revoked sessions, so that the scans over a user's sessions (limit, revoke-all, list) never see it.
    /// </summary>
    private const string Revocation = """
        local function revoke_family(fk, reason)
          local f = redis.call('HMGET', fk, 'v', 'ra')
          if not f[1] or f[2] then return end
          redis.call('HSET', fk, 'ra', NOW, 'rr', reason, 'v', inc(f[1]))
          redis.call('HDEL', fk, 'sl')
        end
        local function revoke_session(h, sid, ae, v, reason)
          local sk = uk(h, 's:' .. sid)
          redis.call('HSET', sk, 'ra', NOW, 'rr', reason, 'v', inc(v))
          redis.call('PEXPIRE', sk, ttl(ae))
          redis.call('ZREM', uk(h, 'ss'), sid)
          redis.call('ZADD', uk(h, 'sr'), ms(ae), sid)
          for _, fid in ipairs(redis.call('SMEMBERS', uk(h, 'sf:' .. sid))) do revoke_family(uk(h, 'f:' .. fid), reason) end
          announce('s|' .. NOW .. '|' .. sid)
        end

        """;

    /// <summary>
    /// The refusable first write of a session insert: on a single server the pointer is claimed with <c>SET NX</c> (a
    /// session key never outlives its pointer, so a free pointer means a free identifier); in Cluster the store claimed the
    /// pointer already and the script checks the session key.
    /// </summary>
    private const string Claim = """
        local function claim(h, sid, ae)
          if HERE then return redis.call('SET', P .. 'sid:' .. sid, h, 'PX', ttl(ae), 'NX') end
          return redis.call('EXISTS', uk(h, 's:' .. sid)) == 0
        end

        """;

    /// <summary>
    /// Session.Regenerate written after its claim (StoreDecisions.Replace), then the current session revoked with its
    /// families. ARGV[a..]: new id, reauthenticated, level or '', method count or -1, data count or -1, methods, data pairs.
    /// </summary>
    private const string Replace = """
        local function replace(h, cur, s, flat, ep, a)
          local nid, reauth, level = ARGV[a], ARGV[a + 1] == '1', ARGV[a + 2]
          local mc, dc = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
          local ie = IDLEN
          if s.ae < ie then ie = s.ae end
          local out = {}
          for i = 1, #flat, 2 do
            local n, p = flat[i], string.sub(flat[i], 1, 2)
            if not (n == 'id' or n == 'ls' or n == 'ie' or n == 'ep' or n == 'v' or n == 'ra' or n == 'rr'
                or (reauth and n == 'aa') or (level ~= '' and n == 'al') or (mc >= 0 and p == 'm:') or (dc >= 0 and p == 'd:')) then
              out[#out + 1] = n
              out[#out + 1] = flat[i + 1]
            end
          end
          local function add(n, v) out[#out + 1] = n out[#out + 1] = v end
          add('id', nid) add('ls', NOW) add('ie', ie) add('ep', ep) add('v', '0')
          if reauth then add('aa', NOW) end
          if level ~= '' then add('al', level) end
          local j = a + 5
          for k = 1, mc do add('m:' .. k, ARGV[j]) j = j + 1 end
          for _ = 1, dc do add('d:' .. ARGV[j], ARGV[j + 1]) j = j + 2 end
          local nk = uk(h, 's:' .. nid)
          redis.call('HSET', nk, unpack(out))
          redis.call('PEXPIRE', nk, ttl(ie))
          redis.call('ZADD', uk(h, 'ss'), ms(ie), nid)
          revoke_session(h, cur, s.ae, s.v, '1')
        end

        """;

    /// <summary>
    /// UserSecurityState.WithDevice over the JSON list [key, first seen, last seen, device id hash, agent, network, and when
    /// the device has a place: place, located at]; a sighting without a place keeps the last one. Pure.
    /// </summary>
    private const string Devices = """
        local function with_device(current, dev, max)
          local list = {}
          if current then list = cjson.decode(current) end
          local d = cjson.decode(dev)
          local new = 1
          for _, x in ipairs(list) do
            if x[1] == d[1] then
              x[3] = d[3]
              if d[7] then x[7] = d[7] x[8] = d[8] end
              new = 0
              break
            end
          end
          if new == 1 then list[#list + 1] = d end
          local order = {}
          for i, x in ipairs(list) do order[i] = {x, i} end
          table.sort(order, function(a, b)
            if a[1][3] ~= b[1][3] then return a[1][3] < b[1][3] end
            return a[2] < b[2]
          end)
          local kept = {}
          for i = math.max(1, #order - max + 1), #order do kept[#kept + 1] = order[i][1] end
          return cjson.encode(kept), new
        end

        """;

    /// <summary>
    /// Families have a fixed set of fields, read and returned by position (the order of <see cref="FamilyFields"/>): the
    /// family a token pointer value names, the family as a table and as the positional array, and where the family holds
    /// a hash (1 current, 2 previous, 3 spent, 0 not).
    /// </summary>
    private const string Families = """
        local FF = {'fid', 'sid', 'uid', 'cid', 'kt', 'ca', 'ae', 'g', 'cur', 'cia', 'cie', 'sl', 'prev', 'rat', 'sp', 'ra', 'rr', 'v'}
        local function family_key(v)
          if not v or #v <= HL then return false end
          return uk(string.sub(v, 1, HL), 'f:' .. string.sub(v, HL + 1)), string.sub(v, 1, HL)
        end
        local function family(fk)
          local a = redis.call('HMGET', fk, unpack(FF))
          if not a[1] then return false, a end
          local f = {}
          for i, n in ipairs(FF) do f[n] = a[i] end
          return f, a
        end
        local function holds(f, hash)
          if f.cur == hash then return 1 end
          if f.prev == hash then return 2 end
          local sp = f.sp or ''
          for i = 1, #sp, TL do
            if string.sub(sp, i, i + TL - 1) == hash then return 3 end
          end
          return 0
        end

        """;

    /// <summary>
    /// StoreDecisions.Create. KEYS: the new session. ARGV[12..]: user id, expected epoch or '', presented id or '', limit
    /// (0 none), '1' reject, device JSON or '', max devices, session id, purge time, absolute expiry, index ('ss', or 'sr' for
    /// a session inserted revoked), fields (all but the epoch, which the script sets). Returns {-1} duplicate, {1} limit
    /// reached, {2} epoch moved, or {0, epoch, presented as read, evicted ids, 1 when the device is new, known devices before}.
    /// </summary>
    public static readonly RedisScript Create = new(
        """
        local h = ROUTE
        local uid, expected, pid = ARGV[12], ARGV[13], ARGV[14]
        local max, reject, dev, maxdev = tonumber(ARGV[15]), ARGV[16] == '1', ARGV[17], tonumber(ARGV[18])
        local sid, purge, ae, index = ARGV[19], ARGV[20], ARGV[21], ARGV[22]
        local sec = uk(h, 'sec')
        local user = redis.call('HMGET', sec, 'ep', 'dv')
        local ep = user[1] or '0'
        if expected ~= '' and expected ~= ep then return {2} end
        local presented, pflat = false, {}
        if pid ~= '' then
          presented, pflat = session(h, pid)
          if presented and presented.uid ~= uid then presented, pflat = false, {} end
        end
        local victims = {}
        if max > 0 then
          local fl, live, ss = floor(), {}, uk(h, 'ss')
          for _, id in ipairs(redis.call('ZRANGE', ss, 0, -1)) do
            if not (presented and id == pid) then
              local f = redis.call('HMGET', uk(h, 's:' .. id), 'uid', 'ra', 'ep', 'ca', 'ls', 'aa', 'ie', 'ae', 'v')
              if not f[1] then
                redis.call('ZREM', ss, id)
              elseif f[1] == uid and classify({ra = f[2], ep = f[3], ca = f[4], ls = f[5], aa = f[6], ie = f[7], ae = f[8]}, ep, fl) == 0 then
                live[#live + 1] = {id, f[5], f[4], f[8], f[9]}
              end
            end
          end
          local excess = #live - max + 1
          if excess > 0 then
            if reject then return {1} end
            -- SessionLimit.TrySelectEvictions: least recently seen first, then oldest created, then id (ordinal).
            table.sort(live, function(a, b)
              if a[2] ~= b[2] then return a[2] < b[2] end
              if a[3] ~= b[3] then return a[3] < b[3] end
              for i = 1, math.min(#a[1], #b[1]) do
                local x, y = string.byte(a[1], i), string.byte(b[1], i)
                if x ~= y then return x < y end
              end
              return #a[1] < #b[1]
            end)
            for i = 1, excess do victims[i] = live[i] end
          end
        end
        local devices, new = false, 0
        if dev ~= '' then devices, new = with_device(user[2], dev, maxdev) end
        if not claim(h, sid, ae) then return {-1} end
        redis.call('HSET', KEYS[1], 'ep', ep, unpack(ARGV, 23, #ARGV))
        redis.call('PEXPIRE', KEYS[1], ttl(purge))
        redis.call('ZADD', uk(h, index), ms(purge), sid)
        if presented and not presented.ra then revoke_session(h, pid, presented.ae, presented.v, '1') end
        local evicted = {}
        for i, v in ipairs(victims) do
          revoke_session(h, v[1], v[4], v[5], '2')
          evicted[i] = v[1]
        end
        if devices then redis.call('HSET', sec, 'dv', devices) end
        return {0, ep, pflat, evicted, new, user[2] or ''}
        """,
        Revocation,
        Claim,
        Devices);

    /// <summary>Reads a session as stored. KEYS: pointer | session. ARGV[12]: session id. Returns the hash (empty when unknown).</summary>
    public static readonly RedisScript Find = new(
        """
        local h = route()
        if not h then return {} end
        return redis.call('HGETALL', uk(h, 's:' .. ARGV[12]))
        """);

    /// <summary>StoreDecisions.Validate. KEYS: pointer | session. ARGV[12..]: session id, '1' to touch. Returns {status, session as read}.</summary>
    public static readonly RedisScript Validate = new(
        """
        local h = route()
        if not h then return {2} end
        local sid = ARGV[12]
        local s, flat = session(h, sid)
        if not s then return {2} end
        local st = classify(s, epoch(h), floor())
        if st == 0 and ARGV[13] == '1' then touch(h, sid, s) end
        return {st, flat}
        """,
        Touch);

    /// <summary>
    /// StoreDecisions.Regenerate. KEYS: pointer | session. ARGV[12..]: current id, then the replacement block (see
    /// <c>replace</c>). Returns {-1} duplicate, {status, session as read} when it does not open, or {0, session as read, epoch}.
    /// </summary>
    public static readonly RedisScript Regenerate = new(
        """
        local h = route()
        if not h then return {2} end
        local cur = ARGV[12]
        local s, flat = session(h, cur)
        if not s then return {2} end
        local ep = epoch(h)
        local st = classify(s, ep, floor())
        if st ~= 0 then return {st, flat} end
        if not claim(h, ARGV[13], s.ae) then return {-1} end
        replace(h, cur, s, flat, ep, 13)
        return {0, flat, ep}
        """,
        Revocation,
        Claim,
        Replace);

    /// <summary>
    /// StoreDecisions.Revoke. KEYS: pointer | session. ARGV[12..]: session id, '=' user id or '', reason. Returns the
    /// session as read when this call revoked it, otherwise an empty array.
    /// </summary>
    public static readonly RedisScript Revoke = new(
        """
        local h = route()
        if not h then return {} end
        local sid = ARGV[12]
        local s, flat = session(h, sid)
        if not s or s.ra or (ARGV[13] ~= '' and '=' .. s.uid ~= ARGV[13]) then return {} end
        revoke_session(h, sid, s.ae, s.v, ARGV[14])
        return flat
        """,
        Revocation);

    /// <summary>
    /// StoreDecisions.RevokeUserSessions. KEYS: the user's session index. ARGV[12..]: user id, reason, '1' advance,
    /// except id or '', keep id or '', then the replacement block. Returns {-1} duplicate, or {epoch, revoked ids, kept
    /// status (-1 none asked, 2 not found), kept session as read}.
    /// </summary>
    public static readonly RedisScript RevokeUser = new(
        """
        local h = ROUTE
        local uid, reason, advance, except, keep = ARGV[12], ARGV[13], ARGV[14] == '1', ARGV[15], ARGV[16]
        local sec, ss = uk(h, 'sec'), uk(h, 'ss')
        local ep = epoch(h)
        local kst, ks, kflat = -1, false, {}
        if keep ~= '' then
          ks, kflat = session(h, keep)
          if not ks or ks.uid ~= uid then
            kst, ks, kflat = 2, false, {}
          else
            -- Judged under the epoch it was issued in, then carried into the epoch this step ends with; its replacement's
            -- claim is the step's first write.
            kst = classify(ks, ep, floor())
            if kst == 0 and not claim(h, ARGV[17], ks.ae) then return {-1} end
          end
        end
        if advance then ep = string.format('%d', redis.call('HINCRBY', sec, 'ep', 1)) end
        local nid = ''
        if kst == 0 then
          replace(h, keep, ks, kflat, ep, 17)
          nid = ARGV[17]
        end
        local revoked = {}
        for _, id in ipairs(redis.call('ZRANGE', ss, 0, -1)) do
          if id ~= except and id ~= nid then
            local f = redis.call('HMGET', uk(h, 's:' .. id), 'uid', 'ra', 'ae', 'v')
            if not f[1] then
              redis.call('ZREM', ss, id)
            elseif f[1] == uid and not f[2] then
              revoke_session(h, id, f[3], f[4], reason)
              revoked[#revoked + 1] = id
            end
          end
        end
        announce('u|' .. NOW .. '|' .. h .. '|' .. ep)
        return {ep, revoked, kst, kflat}
        """,
        Revocation,
        Claim,
        Replace);

    /// <summary>StoreDecisions.ListUserSessions. KEYS: the user's session index. ARGV[12]: user id. Returns the open sessions.</summary>
    public static readonly RedisScript ListUser = new(
        """
        local h, uid = ROUTE, ARGV[12]
        local ep, fl, ss = epoch(h), floor(), uk(h, 'ss')
        local out = {}
        for _, id in ipairs(redis.call('ZRANGE', ss, 0, -1)) do
          local s, flat = session(h, id)
          if not s then
            redis.call('ZREM', ss, id)
          elseif s.uid == uid and classify(s, ep, fl) == 0 then
            out[#out + 1] = flat
          end
        end
        return out
        """);

    /// <summary>
    /// StoreDecisions.BindKey. KEYS: pointer | session. ARGV[12..]: session id, thumbprint, public JWK, bound at. Returns
    /// {bind status, session status, session as read}.
    /// </summary>
    public static readonly RedisScript BindKey = new(
        """
        local h = route()
        if not h then return {3, 2} end
        local sid = ARGV[12]
        local s, flat = session(h, sid)
        if not s then return {3, 2} end
        local st = classify(s, epoch(h), floor())
        if st ~= 0 then return {3, st, flat} end
        if s.kt then
          if s.kt == ARGV[13] then return {1, 0, flat} end
          return {2, 0, flat}
        end
        redis.call('HSET', uk(h, 's:' .. sid), 'kt', ARGV[13], 'kj', ARGV[14], 'kb', ARGV[15], 'v', inc(s.v))
        announce('s|' .. NOW .. '|' .. sid)
        return {0, 0, flat}
        """);

    /// <summary>
    /// StoreDecisions.CreateRefreshFamily. KEYS: pointer | session. ARGV[12..]: session id, family id, token hash, now +
    /// lifetime, now + idle lifetime, '=' client or '', '=' key thumbprint or ''. Returns {-1} duplicate, or {status,
    /// session as read}.
    /// </summary>
    public static readonly RedisScript CreateFamily = new(
        """
        local h = route()
        if not h then return {2} end
        local sid, fid, hash = ARGV[12], ARGV[13], ARGV[14]
        local s, flat = session(h, sid)
        if not s then return {2} end
        local st = classify(s, epoch(h), floor())
        if st ~= 0 then return {st, flat} end
        local ae = ARGV[15]
        if s.ae < ae then ae = s.ae end
        local cie = ARGV[16]
        if ae < cie then cie = ae end
        local fk = uk(h, 'f:' .. fid)
        local life = ttl(ae)
        if redis.call('EXISTS', fk) == 1 then return {-1} end
        if HERE and not redis.call('SET', P .. 'rt:' .. hash, h .. fid, 'PX', life, 'NX') then return {-1} end
        local f = {'fid', fid, 'sid', sid, 'uid', s.uid, 'ca', NOW, 'ae', ae, 'g', '0', 'cur', hash, 'cia', NOW, 'cie', cie, 'v', '0'}
        if ARGV[17] ~= '' then f[#f + 1] = 'cid' f[#f + 1] = string.sub(ARGV[17], 2) end
        if ARGV[18] ~= '' then f[#f + 1] = 'kt' f[#f + 1] = string.sub(ARGV[18], 2) end
        redis.call('HSET', fk, unpack(f))
        redis.call('PEXPIRE', fk, life)
        redis.call('ZADD', uk(h, 'fs'), ms(ae), fid)
        local sf = uk(h, 'sf:' .. sid)
        redis.call('SADD', sf, fid)
        redis.call('PEXPIRE', sf, ttl(s.ae))
        touch(h, sid, s)
        return {0, flat}
        """,
        Touch);

    /// <summary>Reads the family holding a hash. KEYS: token pointer | family. Returns the family by position (empty when unknown).</summary>
    public static readonly RedisScript FindFamily = new(
        """
        local fk = family_key(route())
        if not fk then return {} end
        local f, a = family(fk)
        if not f then return {} end
        return a
        """,
        Families);

    /// <summary>
    /// StoreDecisions.Redeem. KEYS: token pointer | family. ARGV[12..]: presented hash, successor hash, sealed successor
    /// or '', successor idle expiry, '=' (now - grace window) or '' when the window is zero, '=' client or '', '=' proof
    /// thumbprint or ''. Returns {0} not found, {-1} duplicate successor, or {status, session status, family by position
    /// (as written for a rotation, otherwise as read), session as read, 1 when this step revoked the session, forgotten
    /// hash or ''}.
    /// </summary>
    public static readonly RedisScript Redeem = new(
        """
        local v = route()
        local fk, h = family_key(v)
        if not fk then return {0} end
        local f, fa = family(fk)
        if not f then return {0} end
        local pres = ARGV[12]
        local at = holds(f, pres)
        if at == 0 then return {0} end
        local sid = f.sid
        local s, sflat = session(h, sid)
        local sst = 2
        if s then sst = classify(s, epoch(h), floor()) end
        -- RefreshFamily.Classify: 7 BindingMismatch, 4 FamilyRevoked, 5 Expired, 6 SessionNotLive, 1 Rotated,
        -- 3 Reused, 8 RetryConflict, 2 GraceRetry.
        local st
        if (f.kt and ARGV[18] ~= '=' .. f.kt) or (f.cid and ARGV[17] ~= '=' .. f.cid) then st = 7
        elseif f.ra then st = 4
        elseif at == 1 then
          if NOW >= f.cie or NOW >= f.ae then st = 5 elseif sst ~= 0 then st = 6 else st = 1 end
        elseif NOW >= f.ae then st = 5
        elseif at ~= 2 or ARGV[16] == '' or not f.rat or f.rat < string.sub(ARGV[16], 2) then st = 3
        elseif f.rat > LATE then st = 8
        elseif NOW >= f.cie then st = 5
        elseif sst ~= 0 then st = 6
        else st = 2 end
        local srev, forgotten = 0, ''
        if st == 1 then
          local succ = ARGV[13]
          if HERE and not redis.call('SET', P .. 'rt:' .. succ, v, 'PX', ttl(f.ae), 'NX') then return {-1} end
          -- RefreshFamily.Rotate: the previous hash joins the spent ones, of which the newest SPENT are kept.
          local sp = f.sp or ''
          if f.prev then
            local n = #sp / TL
            if n >= SPENT then
              forgotten = string.sub(sp, (n - SPENT) * TL + 1, (n - SPENT + 1) * TL)
              sp = string.sub(sp, (n - SPENT + 1) * TL + 1)
            end
            sp = sp .. f.prev
          end
          local cie = ARGV[15]
          if f.ae < cie then cie = f.ae end
          local g, ver = inc(f.g), inc(f.v)
          local w = {'prev', f.cur, 'rat', NOW, 'cur', succ, 'cia', NOW, 'cie', cie, 'sp', sp, 'g', g, 'v', ver}
          if ARGV[14] ~= '' then w[#w + 1] = 'sl' w[#w + 1] = ARGV[14] elseif f.sl then redis.call('HDEL', fk, 'sl') end
          redis.call('HSET', fk, unpack(w))
          if HERE and forgotten ~= '' then redis.call('DEL', P .. 'rt:' .. forgotten) end
          touch(h, sid, s)
          -- The family as written, by position (FF).
          fa[8], fa[9], fa[10], fa[11], fa[13], fa[14], fa[15], fa[18] = g, succ, NOW, cie, f.cur, NOW, sp, ver
          if ARGV[14] ~= '' then fa[12] = ARGV[14] else fa[12] = false end
        elseif st == 2 then
          touch(h, sid, s)
        elseif st == 3 or st == 4 then
          -- '7' is RevocationReason.RefreshTokenReuse.
          revoke_family(fk, '7')
          if s and not s.ra then
            revoke_session(h, sid, s.ae, s.v, '7')
            srev = 1
          end
        end
        return {st, sst, fa, sflat, srev, forgotten}
        """,
        Touch,
        Revocation,
        Families);

    /// <summary>
    /// StoreDecisions.RevokeRefreshFamily. KEYS: token pointer | family. ARGV[12..]: hash, reason. Returns the family by
    /// position as read when this call revoked it, otherwise an empty array.
    /// </summary>
    public static readonly RedisScript RevokeFamily = new(
        """
        local fk = family_key(route())
        if not fk then return {} end
        local f, a = family(fk)
        if not f or f.ra or holds(f, ARGV[12]) == 0 then return {} end
        revoke_family(fk, ARGV[13])
        announce('s|' .. NOW .. '|' .. f.sid)
        return a
        """,
        Revocation,
        Families);

    /// <summary>StoreDecisions.RememberDevice. KEYS: the user's security hash. ARGV[12..]: device JSON, max devices. Returns 1 when new.</summary>
    public static readonly RedisScript RememberDevice = new(
        """
        local devices, new = with_device(redis.call('HGET', KEYS[1], 'dv'), ARGV[12], tonumber(ARGV[13]))
        redis.call('HSET', KEYS[1], 'dv', devices)
        return new
        """,
        Devices);

    /// <summary>Moves the global revocation instant forward (never back). KEYS: the instant. ARGV[4]: now. Returns the instant in force.</summary>
    public static readonly RedisScript RevokeEverySession = new(
        """
        local c = redis.call('GET', KEYS[1])
        if c and c >= NOW then return c end
        redis.call('SET', KEYS[1], NOW)
        announce('a|' .. NOW)
        return NOW
        """);

    /// <summary>
    /// Deletes a user's records due at ARGV[4] (Session.IsPurgeableAt, RefreshFamily.IsPurgeableAt) with their index
    /// entries. KEYS: live session index, family index, revoked session index. Returns {deleted count, pointer keys left
    /// for the caller (Cluster)...}.
    /// </summary>
    public static readonly RedisScript PurgeUser = new(
        """
        local h, limit = ROUTE, ms(NOW)
        local removed, pointers = 0, {}
        local function unlink(k) if HERE then redis.call('DEL', k) else pointers[#pointers + 1] = k end end
        for _, index in ipairs({KEYS[1], KEYS[3]}) do
          for _, id in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', limit)) do
            local sk = uk(h, 's:' .. id)
            local f = redis.call('HMGET', sk, 'ra', 'ie', 'ae')
            if not f[3] then
              redis.call('ZREM', index, id)
            elseif NOW >= f[3] or (not f[1] and NOW >= f[2]) then
              redis.call('DEL', sk, uk(h, 'sf:' .. id))
              redis.call('ZREM', index, id)
              unlink(P .. 'sid:' .. id)
              removed = removed + 1
            end
          end
        end
        for _, fid in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', limit)) do
          local fk = uk(h, 'f:' .. fid)
          local f = redis.call('HMGET', fk, 'ae', 'cur', 'prev', 'sp', 'sid')
          if not f[1] then
            redis.call('ZREM', KEYS[2], fid)
          elseif NOW >= f[1] then
            unlink(P .. 'rt:' .. f[2])
            if f[3] then unlink(P .. 'rt:' .. f[3]) end
            local sp = f[4] or ''
            for i = 1, #sp, TL do unlink(P .. 'rt:' .. string.sub(sp, i, i + TL - 1)) end
            redis.call('DEL', fk)
            redis.call('ZREM', KEYS[2], fid)
            redis.call('SREM', uk(h, 'sf:' .. f[5]), fid)
            removed = removed + 1
          end
        end
        local out = {removed}
        for _, k in ipairs(pointers) do out[#out + 1] = k end
        return out
        """);

    /// <summary>A script's text (the shared base, the helpers it uses, its body) and its SHA-1, the server's name for it.</summary>
    internal sealed class RedisScript
    {
        public RedisScript(string body, params string[] helpers)
        {
            Text = Base + string.Concat(helpers) + body;
            Announces = (string.Concat(helpers) + body).Contains("announce(", StringComparison.Ordinal);
#pragma warning disable CA5350 // SHA-1 is how Redis names cached scripts (EVALSHA); no security rests on it.
            Hash = SHA1.HashData(Encoding.UTF8.GetBytes(Text));
#pragma warning restore CA5350
        }

        public string Text { get; }

        /// <summary>Gets a value indicating whether the script publishes invalidations (in Cluster it takes the slot channel as its last key).</summary>
        public bool Announces { get; }

        public byte[] Hash { get; }
    }
}
