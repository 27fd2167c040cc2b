import OtklikTestSupport
import VKConnector

/// The fake VK API's clock (in `OtklikTestSupport`) is the source's clock in these tests.
typealias VKTestClock = TestUnixClock

extension TestUnixClock: VKClock {}
